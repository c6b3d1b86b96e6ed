import { describe, expect, it } from 'vitest';
import type { StrategyInfo } from '../../protocol';
import { validateRunForm, type Catalog, type RunForm } from '../../app/validation';

const strategies: StrategyInfo[] = [
  { id: 'greedy', label: 'Greedy', description: '', needsDraft: false, interpretation: false, params: [] },
  {
    id: 'speculative',
    label: 'Speculative',
    description: '',
    needsDraft: true,
    interpretation: false,
    params: [
      { name: 'k', label: 'k', type: 'integer', default: 4, min: 1, max: 16, help: '' },
      { name: 'adaptive', label: 'adaptive', type: 'boolean', default: false, help: '' },
    ],
  },
  {
    id: 'grad',
    label: 'GRAD',
    description: '',
    needsDraft: false,
    interpretation: true,
    params: [{ name: 'corpus', label: 'corpus', type: 'text', default: '', maxLength: 10, help: '' }],
  },
];
const catalog: Catalog = {
  models: [],
  strategies,
  limits: { maxNewTokensMin: 1, maxNewTokensMax: 512, maxPromptChars: 100, maxPanels: 4 },
};
const form: RunForm = {
  prompt: 'Once upon a time',
  model: 'builtin:tiny-llama',
  draft: null,
  dtype: null,
  backend: 'webgpu',
  maxNewTokens: '32',
  seed: '0',
  panels: [{ strategy: 'greedy', params: {} }],
  chatTemplate: false,
  logitLens: true,
};

const fields = (f: Partial<RunForm>, c: Catalog | null = catalog) => {
  const r = validateRunForm({ ...form, ...f }, c);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('validateRunForm', () => {
  it('builds the request from a valid form', () => {
    const r = validateRunForm({ ...form, dtype: 'q4', model: ' org/name ' }, catalog);
    expect(r).toEqual({
      ok: true,
      request: {
        prompt: 'Once upon a time',
        model: 'org/name',
        draft: null,
        dtype: 'q4',
        backend: 'webgpu',
        maxNewTokens: 32,
        seed: 0,
        panels: [{ strategy: 'greedy', params: {} }],
        chatTemplate: false,
        logitLens: true,
      },
    });
  });

  it('asks for a prompt', () => {
    const r = validateRunForm({ ...form, prompt: '  \n ' }, catalog);
    expect(r.ok ? null : r.errors).toEqual([{ field: 'prompt', message: 'Enter a prompt' }]);
  });

  it('checks max new tokens against the catalog limits', () => {
    for (const v of ['0', '513', 'abc', '1.5', '', '-1', 'NaN']) expect(fields({ maxNewTokens: v })).toEqual(['maxNewTokens']);
    expect(fields({ maxNewTokens: '512' })).toEqual([]);
    expect(fields({ maxNewTokens: '100000' }, null)).toEqual([]);
  });

  it('wants a non-negative integer seed', () => {
    for (const v of ['-1', '1.5', 'x', '', '1e3', '4294967296']) expect(fields({ seed: v })).toEqual(['seed']);
    expect(fields({ seed: '4294967295' })).toEqual([]);
  });

  it('rejects bad models and prompts over the limit', () => {
    expect(fields({ model: 'javascript:alert(1)' })).toEqual(['model']);
    expect(fields({ model: '' })).toEqual(['model']);
    expect(fields({ prompt: 'x'.repeat(101) })).toEqual(['prompt']);
  });

  it('checks panels against the registry', () => {
    expect(fields({ panels: [{ strategy: 'nope', params: {} }] })).toEqual(['panels']);
    expect(fields({ panels: [{ strategy: 'speculative', params: { k: 0 } }], draft: 'builtin:d' })).toEqual(['panels']);
    expect(fields({ panels: [{ strategy: 'speculative', params: { k: 4 } }] })).toEqual(['draft']);
    expect(fields({ panels: Array(5).fill({ strategy: 'greedy', params: {} }) })).toEqual(['panels']);
    expect(fields({ panels: [{ strategy: 'grad', params: { corpus: 'x'.repeat(11) } }] })).toEqual(['panels']);
    expect(fields({ panels: [{ strategy: 'grad', params: { corpus: 'a, b; (c)' } }] })).toEqual([]);
    const ok = validateRunForm({ ...form, draft: 'builtin:d', panels: [{ strategy: 'speculative', params: { k: '4', adaptive: 'true' } }] }, catalog);
    expect(ok.ok && ok.request.panels).toEqual([{ strategy: 'speculative', params: { k: 4, adaptive: true } }]);
  });

  it('reports every problem at once', () => {
    expect(fields({ prompt: '', maxNewTokens: '0', seed: '-1' })).toEqual(['prompt', 'maxNewTokens', 'seed']);
  });
});
