// Weak-to-strong (Dynamic Logits Fusion, docs/algorithms.md#w2s) on fakes over the CPU path: the
// spec's oracles (grid {0} and E = S give the large model's greedy decoding, κ = 0 gives α* = 0,
// KLs ≥ 0), the α search on a hand-computed example, settings and the expert context.
import { describe, expect, it } from 'vitest';
import { w2s, expertContextIds } from '../../strategies/w2s/worker/w2s';
import { W2sRun } from '../../strategies/w2s/worker/w2s-run';
import { W2sKernels } from '../../strategies/w2s/worker/w2s-kernels';
import { alphaGrid, chooseAlpha, parseW2sSettings } from '../../strategies/w2s/worker/settings';
import { greedy } from '../../strategies/base/worker/greedy';
import type { W2sAnnotations } from '../../protocol';
import { Rng } from '../../workers/rng';
import { CpuSequence } from '../processors/cpuSequence';
import type { StrategyRun } from '../../strategies/types';
import type { ParamValue } from '../../protocol';

const V = 12;
const PROMPT = [1, 2, 3];
/** Three different models over one vocabulary: soft rows that depend on the text so far. */
const largeRow = (ids: number[]) => Array.from({ length: V }, (_, i) => Math.sin(ids.length * 1.1 + i * 0.8 + 2 * (ids.at(-1) ?? 0)) * 3);
const smallRow = (ids: number[]) => Array.from({ length: V }, (_, i) => Math.cos(ids.length * 0.7 + i * 1.3 + (ids.at(-1) ?? 0)) * 1.5);
/** The expert: the small row pushed hard towards token 5 (and a little towards 7). */
const expertRow = (ids: number[]) => smallRow(ids).map((z, i) => z + (i === 5 ? 4 : i === 7 ? 1.5 : 0));

async function take(run: StrategyRun, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(...(await run.step()).tokens);
  return out;
}

async function largeGreedy(n: number): Promise<number[]> {
  const seq = new CpuSequence(PROMPT, largeRow);
  return (await take(greedy.start({ params: {}, target: seq, draft: null, rng: new Rng(1), topK: 10 }), n)).map((t) => t.id);
}

/** A run over the fakes with the given expert row (null: E is S, the empty prefix). */
function w2sRun(params: Record<string, ParamValue>, expert: ((ids: number[]) => number[]) | null = expertRow) {
  const large = new CpuSequence(PROMPT, largeRow);
  const small = new CpuSequence(PROMPT, smallRow);
  const e = expert ? new CpuSequence([9, ...PROMPT], expert) : null;
  const run = new W2sRun(large, small, e, parseW2sSettings(params), new W2sKernels(null), new Rng(1), 10);
  return { large, small, expert: e, run };
}

const ann = (t: { annotations: unknown }) => t.annotations as W2sAnnotations;

describe('weak-to-strong fusion: the oracles', () => {
  it('grid {0} (alphaMax 0, or a fixed α = 0) is the large model’s greedy decoding', async () => {
    const want = await largeGreedy(16);
    for (const params of [{ alphaMax: 0 }, { alpha: 0 }] as Record<string, ParamValue>[]) {
      const tokens = await take(w2sRun(params).run, 16);
      expect(tokens.map((t) => t.id)).toEqual(want);
      expect(tokens.every((t) => ann(t).alpha === 0 && ann(t).provenance === 'agreed')).toBe(true);
    }
  });

  it('E = S (empty expert prefix): Δ = 0, κ = 0, the large model’s greedy decoding for any α', async () => {
    const want = await largeGreedy(16);
    for (const params of [{}, { alpha: 2 }, { alpha: 0.7 }, { alphaMax: 3 }] as Record<string, ParamValue>[]) {
      const { run, small } = w2sRun(params, null);
      const tokens = await take(run, 16);
      expect(tokens.map((t) => t.id)).toEqual(want);
      for (const t of tokens) {
        expect(ann(t).kappa).toBe(0);
        expect(ann(t).curve.every((kl) => kl === 0)).toBe(true);
      }
      // No third sequence: the small model's one forward per token.
      expect(small.forwards).toBe(16);
    }
    // Through the strategy's start: an empty prefix needs no expert runner.
    const large = new CpuSequence(PROMPT, largeRow);
    const small = new CpuSequence(PROMPT, smallRow);
    const run = w2s.start({ params: { expertPrefix: '  ' }, target: large, draft: small, rng: new Rng(1), topK: 10 });
    const tokens = await take(run, 16);
    expect(tokens.map((t) => t.id)).toEqual(want);
    expect(ann(tokens[0]!).expertContext).toEqual({ tokens: PROMPT.length, sharesSmall: true });
  });

  it('κ = 0 (an expert identical to the small model) gives α* = 0 every token', async () => {
    // The expert reads one more id (its context); its rows are the small model's on the rest.
    const tokens = await take(w2sRun({}, (ids) => smallRow(ids.slice(1))).run, 12);
    for (const t of tokens) {
      expect(ann(t).kappa).toBe(0);
      expect(ann(t).alpha).toBe(0);
    }
    expect(tokens.map((t) => t.id)).toEqual(await largeGreedy(12));
  });

  it('KLs are ≥ 0, α* minimises |KL − κ| over the grid (ties → smaller α), and a strong expert flips the large model’s picks', async () => {
    const { run, large, small, expert } = w2sRun({});
    const tokens = await take(run, 20);
    for (const t of tokens) {
      const a = ann(t);
      expect(a.kappa).toBeGreaterThan(0);
      expect(a.grid).toEqual(alphaGrid(2));
      expect(a.curve.every((kl) => kl >= 0)).toBe(true);
      const gaps = a.curve.map((kl) => Math.abs(kl - a.kappa));
      const best = Math.min(...gaps);
      expect(a.alpha).toBe(a.grid[gaps.indexOf(best)]);
      expect(a.kl).toBe(a.curve[a.grid.indexOf(a.alpha)]);
      expect(a.provenance).toBe(t.id === a.largeChoice.id ? 'agreed' : 'flipped');
      expect(a.top.large.length).toBe(5);
      expect(a.top.fused.length).toBe(5);
    }
    expect(tokens.some((t) => ann(t).provenance === 'flipped')).toBe(true);
    // The three sequences advance in lock-step: one forward each per token.
    expect([large.forwards, small.forwards, expert!.forwards]).toEqual([20, 20, 20]);
    expect(expert!.ids.length).toBe(PROMPT.length + 1 + 20);
    expect(ann(tokens[0]!).expertContext).toEqual({ tokens: PROMPT.length + 1, sharesSmall: false });
  });

  it('a fixed α is used as given (static proxy tuning): the grid is [0, α]', async () => {
    const tokens = await take(w2sRun({ alpha: 1 }).run, 6);
    for (const t of tokens) {
      expect(ann(t).alpha).toBe(1);
      expect(ann(t).dynamic).toBe(false);
      expect(ann(t).grid).toEqual([0, 1]);
    }
  });

  it('sampling draws through the chain from the fused row; the large model’s own pick uses the same uniform', async () => {
    const tokens = await take(w2sRun({ temperature: 0.9 }).run, 12);
    expect(tokens.every((t) => ann(t).sampled)).toBe(true);
    expect(tokens.every((t) => ann(t).processedProb > 0 && ann(t).largeChoice.prob > 0)).toBe(true);
    // The same seed gives the same draws.
    expect((await take(w2sRun({ temperature: 0.9 }).run, 12)).map((t) => t.id)).toEqual(tokens.map((t) => t.id));
  });

  it('dispose frees the expert', () => {
    const { run, expert } = w2sRun({});
    run.dispose();
    expect((expert as unknown as { disposed: boolean }).disposed).toBe(true);
  });
});

describe('weak-to-strong fusion: the α search', () => {
  it('picks the closest grid point, ties to the smaller α', () => {
    expect(chooseAlpha([0, 0.1, 0.3, 0.5], 0.25)).toBe(2);
    expect(chooseAlpha([0, 0.2, 0.4], 0.3)).toBe(1);
    expect(chooseAlpha([0, 0.2, 0.4], 0)).toBe(0);
    expect(chooseAlpha([0, 0, 0], 0)).toBe(0);
    expect(chooseAlpha([0, 0.1, 0.2], 5)).toBe(2);
  });

  it('the grid is {0, 0.1, …, alphaMax}', () => {
    expect(alphaGrid(0)).toEqual([0]);
    expect(alphaGrid(0.35)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(alphaGrid(2)).toHaveLength(21);
    expect(alphaGrid(2).at(-1)).toBe(2);
    expect(alphaGrid(3)).toHaveLength(31);
  });

  it('hand-computed: L = S, E = S + [ln 3, 0] → κ = ¾ ln 1.5 − ¼ ln 2, and F(1) = E so α* = 1', async () => {
    const L = () => [0, 0];
    const E = () => [Math.log(3), 0];
    const large = new CpuSequence([1], L);
    const small = new CpuSequence([1], L);
    const expert = new CpuSequence([1], E);
    const run = new W2sRun(large, small, expert, parseW2sSettings({}), new W2sKernels(null), new Rng(1), 10);
    const [t] = (await run.step()).tokens;
    const a = ann(t!);
    const kappa = 0.75 * Math.log(1.5) - 0.25 * Math.log(2);
    expect(a.kappa).toBeCloseTo(kappa, 6);
    expect(a.alpha).toBe(1);
    expect(a.kl).toBeCloseTo(kappa, 6);
    // KL(F(α) ‖ L) with p_F = [3^α, 1] / (3^α + 1), p_L = [½, ½]: increasing in α here.
    a.grid.forEach((alpha, j) => {
      const p = 3 ** alpha / (3 ** alpha + 1);
      const kl = p * Math.log(2 * p) + (1 - p) * Math.log(2 * (1 - p));
      expect(a.curve[j]).toBeCloseTo(kl, 6);
    });
    expect(t!.id).toBe(0);
    expect(a.largeChoice.id).toBe(0);
    // With the grid cut at 0.5, the largest α is the closest.
    const cut = new W2sRun(new CpuSequence([1], L), new CpuSequence([1], L), new CpuSequence([1], E), parseW2sSettings({ alphaMax: 0.5 }), new W2sKernels(null), new Rng(1), 10);
    expect(ann((await cut.step()).tokens[0]!).alpha).toBe(0.5);
  });
});

describe('weak-to-strong fusion: settings and the expert context', () => {
  it('refuses α between −1 and 0 and a grid beyond 3, naming the parameter', () => {
    expect(() => parseW2sSettings({ alpha: -0.5 })).toThrow('alpha must be −1 (dynamic) or a fixed α in [0, 3], got -0.5');
    expect(() => parseW2sSettings({ alphaMax: 5 })).toThrow(/alphaMax must be a number in \[0, 3\], got 5/);
    expect(() => parseW2sSettings({ alpha: 4 })).toThrow(/alpha must be a number in \[-1, 3\], got 4/);
  });

  it('a refused α fails the panel’s first step, not the start (the other panels run)', async () => {
    const run = w2s.start({ params: { alpha: -0.5 }, target: new CpuSequence(PROMPT, largeRow), draft: new CpuSequence(PROMPT, smallRow), rng: new Rng(1), topK: 10 });
    await expect(run.step()).rejects.toThrow('alpha must be −1 (dynamic) or a fixed α in [0, 3], got -0.5');
  });

  it('the expert context is the prefix (BOS included), then the prompt without its BOS', () => {
    const encode = (text: string) => [1, ...text.split(' ').map((w) => w.length + 10)];
    expect(expertContextIds('ab cde', [1, 50, 51], encode, 1)).toEqual([1, 12, 13, 50, 51]);
    expect(expertContextIds('ab', [50, 51], encode, null)).toEqual([1, 12, 50, 51]);
    expect(expertContextIds(' \n', [1, 50], encode, 1)).toBeNull();
  });

  it('needs a draft, and refuses an expert context longer than the small model’s context', async () => {
    const large = new CpuSequence(PROMPT, largeRow);
    await expect(w2s.start({ params: {}, target: large, draft: null, rng: new Rng(1), topK: 10 }).step()).rejects.toThrow(/needs a second model/);
    const small = new CpuSequence(PROMPT, smallRow);
    const batched = {
      model: { tokenizer: { encode: (t: string) => [1, ...t.split(' ').map(() => 7)], bosId: 1 }, config: { max_position_embeddings: 40 } },
      forwardBatch: () => Promise.reject(new Error('not used')),
    };
    const run = w2s.start({ params: {}, target: large, draft: small, draftCapabilities: { batched: batched as never }, rng: new Rng(1), topK: 10, maxNewTokens: 16 });
    await expect(run.step()).rejects.toThrow(/expertPrefix: the expert context \(\d+ tokens: the expert prefix, then the prompt\) plus 16 new tokens needs \d+ positions, more than the small model’s context of 40/);
  });
});
