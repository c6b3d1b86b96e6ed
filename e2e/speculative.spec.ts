import { expect, test, type Page } from '@playwright/test';
import { referenceGreedy } from '../scripts/testmodels/reference';
import type { Backend, PanelRecord, PanelSpec, RunRecord, RunRequest } from '../protocol';
import { apiRun, openApp } from './helpers';

const TARGET = 'builtin:tiny-llama';
const DRAFT = 'builtin:tiny-llama-draft';
const PROMPT = 'Once upon a time';
const REPETITIVE = 'the cat sat on the mat. the cat sat on the mat. the cat';
const N = 32;

const SPECULATIVE_PANELS: PanelSpec[] = [
  { strategy: 'speculative', params: { k: 1 } },
  { strategy: 'speculative', params: { k: 3 } },
  { strategy: 'speculative', params: { k: 8 } },
  { strategy: 'speculative', params: { k: 4, schedule: 'heuristic' } },
];

function ids(p: PanelRecord): number[] {
  return p.tokens.map((t) => t.id);
}

/** The panel's last token annotation (running α̂ and τ). */
function last(p: PanelRecord): Record<string, unknown> {
  return p.tokens.at(-1)!.annotations;
}

/** Target forwards, α̂, τ and readback per token of one panel, for the log and the report. */
function summary(name: string, rec: RunRecord, p: PanelRecord): string {
  const s = p.stats;
  const a = last(p);
  const alpha = typeof a.alpha === 'number' ? a.alpha.toFixed(3) : String(a.alpha);
  return `${rec.model.backend} ${name}: ${s.newTokens} tokens, target fwd/token ${(s.targetForwards / s.newTokens).toFixed(3)}, draft fwd ${s.draftForwards}, alpha ${alpha}, tau ${Number(a.tau).toFixed(3)}, readback B/token ${(s.readbackBytes / s.newTokens).toFixed(0)}`;
}

async function speculativeMatchesGreedy(page: Page, backend: Backend): Promise<void> {
  await openApp(page);
  const rec = await apiRun(page, { prompt: PROMPT, model: TARGET, draft: DRAFT, maxNewTokens: N, backend, seed: 1, panels: [...SPECULATIVE_PANELS, { strategy: 'greedy', params: {} }] });
  expect(rec.model.backend).toBe(backend);
  const ref = referenceGreedy('tiny-llama', rec.promptTokens, N);
  expect(ids(rec.panels[4]!)).toEqual(ref.ids);
  for (const [i, spec] of SPECULATIVE_PANELS.entries()) {
    const panel = rec.panels[i]!;
    expect(panel.error).toBeUndefined();
    expect(ids(panel), JSON.stringify(spec.params)).toEqual(ref.ids);
    // Records carry the target's RAW softmax at each position, like greedy's.
    panel.tokens.forEach((t, j) => expect(Math.abs(t.prob - ref.probs[j]!)).toBeLessThan(1e-4));
    // The draft agrees about half the time, so the target runs fewer passes than tokens.
    expect(panel.stats.targetForwards).toBeLessThan(panel.stats.newTokens);
    expect(panel.stats.draftForwards).toBeGreaterThan(0);
    console.log(summary(`speculative ${JSON.stringify(spec.params)}`, rec, panel));
  }
}

test.describe('speculative decoding end to end (built-in target + draft)', () => {
  test('WebGPU: greedy speculative equals target greedy for k = 1, 3, 8 and the heuristic schedule', async ({ page }) => {
    await speculativeMatchesGreedy(page, 'webgpu');
  });

  test('WASM: greedy speculative equals target greedy for k = 1, 3, 8 and the heuristic schedule', async ({ page }) => {
    await speculativeMatchesGreedy(page, 'wasm');
  });

  test('a draft that is the target (padded rows masked) has every draft accepted: τ = k + 1', async ({ page }) => {
    await openApp(page);
    const k = 3;
    const rec = await apiRun(page, { prompt: PROMPT, model: TARGET, draft: 'builtin:tiny-llama-padded', maxNewTokens: 4 * (k + 1), seed: 1, panels: [{ strategy: 'speculative', params: { k } }] });
    const panel = rec.panels[0]!;
    expect(ids(panel)).toEqual(referenceGreedy('tiny-llama', rec.promptTokens, 4 * (k + 1)).ids);
    expect(panel.tokens.every((t) => t.id < rec.model.tokenizerVocabSize)).toBe(true);
    expect(panel.stats.targetForwards).toBe(4);
    expect(last(panel).tau).toBe(k + 1);
    expect(last(panel).alpha).toBe(1);
  });
});

test.describe('prompt-lookup decoding end to end (built-in target)', () => {
  for (const backend of ['webgpu', 'wasm'] as const) {
    test(`${backend}: greedy prompt lookup equals greedy and saves target passes on a repetitive prompt`, async ({ page }) => {
      await openApp(page);
      const n = 48;
      const rec = await apiRun(page, {
        prompt: REPETITIVE,
        model: TARGET,
        draft: DRAFT,
        maxNewTokens: n,
        backend,
        seed: 1,
        panels: [
          { strategy: 'prompt-lookup', params: {} },
          { strategy: 'speculative', params: { k: 4 } },
          { strategy: 'speculative', params: { k: 4, schedule: 'heuristic' } },
        ],
      });
      const ref = referenceGreedy('tiny-llama', rec.promptTokens, n);
      for (const panel of rec.panels) {
        expect(panel.error).toBeUndefined();
        expect(ids(panel), panel.strategy).toEqual(ref.ids);
        expect(panel.stats.targetForwards, panel.strategy).toBeLessThan(panel.stats.newTokens);
        console.log(summary(`${panel.strategy} ${JSON.stringify(panel.params)} (repetitive prompt)`, rec, panel));
      }
      expect(rec.panels[0]!.stats.draftForwards).toBe(0);
      expect(rec.panels[0]!.tokens[0]!.annotations.match).not.toBeNull();
    });
  }
});

test.describe('speculative sampling end to end (CPU and GPU fusion)', () => {
  test('sampling speculative and prompt lookup run, annotate r, and are reproducible from the seed', async ({ page }) => {
    await openApp(page);
    const request: Partial<RunRequest> = {
      prompt: REPETITIVE,
      model: TARGET,
      draft: DRAFT,
      maxNewTokens: 24,
      backend: 'wasm',
      seed: 7,
      panels: [
        { strategy: 'speculative', params: { k: 4, temperature: 0.8, topK: 20 } },
        { strategy: 'prompt-lookup', params: { temperature: 0.8, topK: 20 } },
      ],
    };
    const a = await apiRun(page, request);
    const b = await apiRun(page, request);
    for (const [i, panel] of a.panels.entries()) {
      expect(panel.error).toBeUndefined();
      expect(panel.stats.newTokens).toBe(24);
      expect(ids(panel)).toEqual(ids(b.panels[i]!));
      expect(panel.tokens.every((t) => t.id < a.model.tokenizerVocabSize)).toBe(true);
      console.log(summary(`${panel.strategy} sampling ${JSON.stringify(panel.params)}`, a, panel));
    }
    const verified = a.panels[0]!.tokens.filter((t) => t.annotations.fate === 'accepted');
    for (const t of verified) expect(typeof t.annotations.r).toBe('number');
    const fates = new Set(a.panels[0]!.tokens.map((t) => t.annotations.fate));
    expect(fates.has('resampled') || fates.has('bonus')).toBe(true);
    // The GPU fusion is the integer-exact twin of the CPU one: the same seed gives the same tokens.
    const gpu = await apiRun(page, { ...request, backend: 'webgpu' });
    expect(gpu.model.backend).toBe('webgpu');
    gpu.panels.forEach((panel, i) => {
      expect(panel.error).toBeUndefined();
      expect(ids(panel), panel.strategy).toEqual(ids(a.panels[i]!));
      console.log(summary(`${panel.strategy} sampling`, gpu, panel));
    });
  });
});
