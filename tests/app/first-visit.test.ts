// Rough edges a first visit ran into (issue #12), each pinned by a test of the pure logic or of the
// component's markup (rendered to a string, no DOM).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { StrategyInfo } from '../../protocol';
import { PanelConfig } from '../../app/components/PanelConfig';
import { TokenStream } from '../../app/components/TokenStream';
import { cannotRunReason } from '../../app/panel-capability';
import { validateRunForm, type Catalog, type RunForm } from '../../app/validation';
import { ControllerContext } from '../../app/controller-context';
import { PromptInput } from '../../app/components/PromptInput';
import type { RunController } from '../../app/run-controller';
import { runStatusText } from '../../app/run-status';
import type { PanelView } from '../../app/step-batching';
import { stats, token } from './fixtures-ui';
import { StrategyExplainer } from '../../app/components/StrategyExplainer';
import { SpeculativeTimeline } from '../../strategies/speculative/ui/SpeculativeTimeline';
import { explanationOf } from '../../strategies/ui-registry';
import { listStrategies } from '../../strategies/registry';
import { axisTick } from '../../app/components/charts/SeriesChart';

const search: StrategyInfo = {
  id: 'contrastive-search',
  label: 'Contrastive search',
  description: '',
  needsDraft: false,
  needsHiddenState: true,
  interpretation: false,
  params: [],
};
const greedy: StrategyInfo = { id: 'greedy', label: 'Greedy', description: '', needsDraft: false, interpretation: false, params: [] };
const HUB = 'HuggingFaceTB/SmolLM2-135M-Instruct';
const catalog: Catalog = {
  models: [],
  strategies: [greedy, search],
  limits: { maxNewTokensMin: 1, maxNewTokensMax: 512, maxPromptChars: 100, maxPanels: 4 },
  hub: [
    {
      id: HUB,
      label: 'SmolLM2 135M',
      description: '',
      family: 'smollm2',
      role: 'draft',
      pairedWith: 'HuggingFaceTB/SmolLM2-360M-Instruct',
      revision: 'main',
      vocabSize: 49152,
      instruct: true,
      sizes: {},
      sizeNote: '',
    },
  ],
};
const form: RunForm = {
  prompt: 'Once upon a time',
  model: 'builtin:tiny-llama',
  draft: null,
  dtype: null,
  backend: 'webgpu',
  maxNewTokens: '8',
  seed: '0',
  panels: [{ strategy: 'contrastive-search', params: {} }],
  chatTemplate: false,
  logitLens: true,
};

describe('a panel the UI knows cannot run', () => {
  it('is refused before the run starts, naming the panel and why', () => {
    const r = validateRunForm({ ...form, model: HUB }, catalog);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Panel 1: Contrastive search needs a model that exports last_hidden_state/)]);
  });
  it('refuses DoLa on a curated Hub model (no per-layer logits), not on a built-in one', () => {
    const dola = listStrategies().find((s) => s.id === 'dola')!;
    expect(cannotRunReason(dola, HUB, catalog)).toMatch(/^DoLa \(contrast layers\) needs a model that exports every layer’s logits/);
    expect(cannotRunReason(dola, 'builtin:stories260k', catalog)).toBeNull();
    const r = validateRunForm({ ...form, model: HUB, panels: [{ strategy: 'dola', params: {} }] }, { ...catalog, strategies: listStrategies() });
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Panel 1: DoLa/)]);
  });
  it('runs where the model may have hidden states (built-in, folder URL)', () => {
    expect(validateRunForm(form, catalog).ok).toBe(true);
    expect(validateRunForm({ ...form, model: 'https://example.org/model/' }, catalog).ok).toBe(true);
    expect(cannotRunReason(greedy, HUB, catalog)).toBeNull();
  });
  it('after a panel error, the empty stream does not invite pressing Generate', () => {
    const stream = (failed: boolean) =>
      renderToStaticMarkup(createElement(TokenStream, { panelIndex: 0, strategyLabel: 'x', tokens: [], prompt: 'Once', busy: false, failed, mode: 'probability', departure: undefined }));
    expect(stream(false)).toContain('Press Generate');
    expect(stream(true)).not.toContain('Press Generate');
    expect(stream(true)).toContain('stopped with the error above');
  });
});

describe('a panel loaded from a URL before the worker lists its strategies', () => {
  const render = (strategies: StrategyInfo[]) =>
    renderToStaticMarkup(createElement(PanelConfig, { index: 0, spec: { strategy: 'greedy', params: {} }, info: null, strategies, disabled: false }));
  it('shows a neutral loading state, not "unknown" in red', () => {
    const html = render([]);
    expect(html).toContain('loading strategies');
    expect(html).not.toContain('unknown');
    expect(html).not.toContain('aria-invalid');
  });
  it('still flags a strategy the catalog does not have', () => {
    const html = render([search]);
    expect(html).toContain('(unknown)');
    expect(html).toContain('aria-invalid="true"');
  });
});

describe('the run status line', () => {
  const view = (finishReason: 'stopped' | 'max'): PanelView => ({ spec: { strategy: 'greedy', params: {} }, tokens: [], stats: { ...stats(3), finishReason }, error: null });
  it('says Stopped, like the panels, when Stop ended the run', () => {
    expect(runStatusText('done', false, [view('stopped'), view('stopped')])).toBe('Stopped');
    expect(runStatusText('done', false, [view('max')])).toBe('Done');
    // Step mode: a paused run says how to go on; a finished one is Done as ever.
    expect(runStatusText('running', false, [view('max')], true)).toBe('Paused: Step (Space) or Run (R)');
    expect(runStatusText('done', false, [view('max')], false)).toBe('Done');
    expect(runStatusText('running', true, null)).toBe('Stopping…');
  });
});

describe('the keyboard shortcut', () => {
  it('is written next to the prompt and announced with it', () => {
    const html = renderToStaticMarkup(createElement(ControllerContext.Provider, { value: {} as RunController }, createElement(PromptInput)));
    expect(html).toMatch(/<kbd>Ctrl<\/kbd>\+<kbd>Enter<\/kbd> generates/);
    expect(html).toContain('aria-keyshortcuts="Control+Enter Meta+Enter"');
    expect(html).toContain('aria-describedby="prompt-shortcut"');
  });
});

describe('strategy explanations on the page', () => {
  it('every registered strategy has a one-line summary, a formula, known key parameters and its papers', () => {
    for (const info of listStrategies()) {
      const e = explanationOf(info.id);
      expect(e, info.id).toBeDefined();
      expect(e!.summary.length, info.id).toBeLessThanOrEqual(110);
      expect(e!.summary).not.toMatch(/\n/);
      expect(renderToStaticMarkup(createElement('p', null, e!.formula)).length, info.id).toBeGreaterThan(40);
      for (const name of e!.keyParams) expect(info.params.map((p) => p.name), `${info.id}.${name}`).toContain(name);
      expect(e!.papers.length, info.id).toBeGreaterThan(0);
      for (const p of e!.papers) expect(p.url).toMatch(/^https:\/\//);
      if (info.interpretation) expect(e!.interpretation, info.id).toMatch(/^Our interpretation/);
    }
  });
  it('a panel shows the summary and a labelled "?" button', () => {
    const info = listStrategies().find((s) => s.id === 'speculative')!;
    const html = renderToStaticMarkup(createElement(StrategyExplainer, { info, index: 1 }));
    expect(html).toContain(explanationOf('speculative')!.summary);
    expect(html).toContain('aria-label="Explain Speculative');
    expect(html).toContain('aria-expanded="false"');
  });
  it('the speculative timeline carries its own legend of marks', () => {
    const tokens = [token(3, 0.5, { annotations: { kind: 'speculative', iteration: 0, fate: 'bonus', k: 1, drafted: 1, acceptedInIteration: 1, p: 0.5, q: null, alpha: 1, tau: 2, drafts: [{ id: 2, fate: 'accepted', p: 0.9, q: 0.8 }] } })];
    const html = renderToStaticMarkup(createElement(SpeculativeTimeline, { tokens }));
    expect(html).toContain('data-testid="timeline-legend"');
    for (const mark of ['✓', '✗', '↻', '+', '<s>rejected</s>', '<s>discarded</s>']) expect(html).toContain(mark);
  });
});

describe('chart axes', () => {
  it('label ticks closer than 0.1 apart without repeating one', () => {
    const ticks = [0, 0.075, 0.15, 0.225, 0.3].map(axisTick);
    expect(ticks).toEqual(['0', '0.075', '0.15', '0.225', '0.3']);
    expect([0, 0.5, 1, 1.5, 2].map(axisTick)).toEqual(['0', '0.5', '1', '1.5', '2']);
  });
});
