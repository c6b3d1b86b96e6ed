// The one parameter checker (protocol/params.ts): messages name the parameter and the value, and the
// UI (app/panel-spec.ts) and the worker boundary (workers/validate.ts) say the same thing.
import { describe, expect, it } from 'vitest';
import { checkPanels, checkParamValue } from '../../app/panel-spec';
import { checkParam, DTYPES, LIMITS, preferredDtypes, SEED_MAX, type PanelSpec, type ParamSchema } from '../../protocol';
import { MAX_CORPUS_CHARS } from '../../workers/decode/corpus';
import { listStrategies } from '../../strategies/registry';
import { validateRequest } from '../../workers/validate';

const k: ParamSchema = { name: 'k', label: 'k', type: 'integer', default: 4, min: 1, max: 16, help: '' };
const alpha: ParamSchema = { name: 'alpha', label: 'α', type: 'number', default: 0.1, min: 0, minExclusive: true, max: 1, help: '' };
const form: ParamSchema = { name: 'form', label: 'Form', type: 'enum', default: 'logit', options: ['logit', 'logprob'], help: '' };
const text: ParamSchema = { name: 'corpus', label: 'Corpus', type: 'text', default: '', maxLength: 5, help: '' };
const flag: ParamSchema = { name: 'paperForm', label: 'Paper', type: 'boolean', default: false, help: '' };

describe('checkParam', () => {
  it('accepts values of the schema type within range, without coercion', () => {
    expect(checkParam(k, 16)).toEqual({ ok: true, value: 16 });
    expect(checkParam(alpha, 1)).toEqual({ ok: true, value: 1 });
    expect(checkParam(form, 'logprob')).toEqual({ ok: true, value: 'logprob' });
    expect(checkParam(text, 'abcde')).toEqual({ ok: true, value: 'abcde' });
    expect(checkParam(flag, false)).toEqual({ ok: true, value: false });
    expect(checkParam(k, '4').ok).toBe(false);
    expect(checkParam(flag, 'true').ok).toBe(false);
  });

  it.each([
    [k, -3, 'k must be an integer in [1, 16], got -3'],
    [k, 2.5, 'k must be an integer in [1, 16], got 2.5'],
    [k, Number.NaN, 'k must be an integer in [1, 16], got NaN'],
    [k, 'abc', 'k must be an integer in [1, 16], got "abc"'],
    [alpha, 0, 'alpha must be a number in (0, 1], got 0'],
    [alpha, 1.5, 'alpha must be a number in (0, 1], got 1.5'],
    [form, 'both', 'form must be one of logit, logprob, got "both"'],
    [text, 'abcdef', 'corpus must be text of at most 5 characters, got 6 characters'],
    [text, 3, 'corpus must be text of at most 5 characters, got 3'],
    [flag, 'yes', 'paperForm must be true or false, got "yes"'],
  ])('refuses %j = %j naming both', (schema, value, message) => {
    expect(checkParam(schema, value)).toEqual({ ok: false, message });
  });

  it('text typed in the UI is read as the schema type before the same check', () => {
    expect(checkParamValue(k, '3')).toEqual({ ok: true, value: 3 });
    expect(checkParamValue(flag, 'true')).toEqual({ ok: true, value: true });
    expect(checkParamValue(k, '40')).toEqual({ ok: false, message: 'k must be an integer in [1, 16], got 40' });
  });
});

describe('the UI and the worker give the same message for the same bad panel', () => {
  const strategies = listStrategies();
  const base = { prompt: 'Hi', model: 'builtin:tiny-llama', draft: 'builtin:tiny-llama', maxNewTokens: 8, seed: 0 };
  const workerMessage = (panel: PanelSpec): string => {
    try {
      validateRequest({ ...base, panels: [panel] });
    } catch (e) {
      return (e as Error).message.replace(/^\[bad-request\] /, '');
    }
    throw new Error('the worker accepted the panel');
  };

  it.each<PanelSpec>([
    { strategy: 'speculative', params: { k: -3 } },
    { strategy: 'contrastive-search', params: { alpha: 1.5 } },
    { strategy: 'contrastive', params: { alpha: 0 } },
    { strategy: 'contrastive', params: { form: 'both' } },
    { strategy: 'grad', params: { corpus: 'x'.repeat(MAX_CORPUS_CHARS + 1) } },
    { strategy: 'cntp', params: { paperForm: 'maybe' } },
    { strategy: 'sample', params: { temperature: 101 } },
    { strategy: 'greedy', params: { k: 3 } },
    { strategy: 'nucleus', params: {} },
    { strategy: 'beam', params: { numBeams: 9 } },
    { strategy: 'w2s', params: { alphaMax: 5 } },
  ])('$strategy with a bad value', (panel) => {
    const app = checkPanels([panel], strategies).errors;
    expect(app).toHaveLength(1);
    expect(workerMessage(panel)).toBe(app[0]);
    expect(app[0]).toMatch(/^Panel 1/);
  });
});

describe('shared constants', () => {
  it('one copy of the dtypes, their preference, the seed range and the limits', () => {
    expect(DTYPES).toEqual(['fp32', 'fp16', 'q8', 'q4', 'q4f16']);
    for (const f16 of [true, false]) expect([...preferredDtypes(f16)].sort()).toEqual([...DTYPES].sort());
    expect(SEED_MAX).toBe(4294967295);
    expect(() => validateRequest({ prompt: 'Hi', model: 'builtin:tiny-llama', maxNewTokens: LIMITS.maxNewTokensMax, seed: SEED_MAX, panels: [{ strategy: 'greedy', params: {} }] })).not.toThrow();
  });
});
