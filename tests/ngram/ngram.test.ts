import { describe, expect, it } from 'vitest';
import { NgramModel, ORDER_WEIGHTS, P_MIN, styleValue, topStyle } from '../../strategies/ngram/worker/ngram-model';
import { NgramRun, type StyleTokenizer } from '../../strategies/ngram/worker/ngram';
import { parseNgramSettings } from '../../strategies/ngram/worker/settings';
import { greedy } from '../../strategies/base/worker/greedy';
import type { NgramAnnotations } from '../../protocol';
import { Rng } from '../../workers/rng';
import { CpuSequence } from '../processors/cpuSequence';
import type { StrategyRun } from '../../strategies/types';

const V = 16;
/** Soft rows that depend on the text so far (a stand-in model). */
const modelRow = (ids: number[]) => Array.from({ length: V }, (_, i) => Math.sin(ids.length * 0.9 + i * 1.7 + 1.3 * (ids.at(-1) ?? 0)) * 2.5);
const PROMPT = [1, 2, 3];

/** Words are ids: "t5 t7 t2" → [5, 7, 2]. */
const tokenizer: StyleTokenizer = { encode: (text) => text.split(/\s+/).filter(Boolean).map((w) => Number(w.slice(1))), specials: new Set([0]) };
const text = (ids: number[]) => ids.map((i) => `t${i}`).join(' ');

async function take(run: StrategyRun, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(...(await run.step()).tokens);
  return out;
}

function ngramRun(params: Record<string, number | string>, corpus: string[], row = modelRow, seed = 1) {
  const seq = new CpuSequence(PROMPT, row);
  const settings = parseNgramSettings({ corpusName: 'none', ...params });
  return { seq, run: new NgramRun(seq, settings, tokenizer, async () => corpus, new Rng(seed), 10) };
}

async function greedyIds(row: (ids: number[]) => number[], n: number) {
  const seq = new CpuSequence(PROMPT, row);
  return (await take(greedy.start({ params: {}, target: seq, draft: null, rng: new Rng(1), topK: 10 }), n)).map((t) => t.id);
}

/** The dense style prior, straight from the formulas (ALGORITHMS §6.8), for checking NgramModel. */
function denseStyle(seqs: number[][], vocab: number, order: number, k: number, history: number[]): number[] {
  const parts: { w: number; c: number[]; total: number }[] = [];
  for (let n = 1; n <= order; n++) {
    const ctx = history.slice(history.length - (n - 1));
    if (ctx.length !== n - 1) break;
    const c = new Array<number>(vocab).fill(0);
    for (const s of seqs) for (let i = n - 1; i < s.length; i++) if (s.slice(i - (n - 1), i).every((x, j) => x === ctx[j])) c[s[i]!]!++;
    const total = c.reduce((a, b) => a + b, 0);
    if (total > 0) parts.push({ w: ORDER_WEIGHTS[n - 1]!, c, total });
  }
  const wSum = parts.reduce((a, p) => a + p.w, 0);
  return Array.from({ length: vocab }, (_, v) => parts.reduce((a, p) => a + (p.w * (p.c[v]! + k)) / (p.total + k * vocab), 0) / wSum);
}

describe('the n-gram style prior', () => {
  const seqs = [
    [1, 2, 3, 4, 2, 3, 5],
    [2, 3, 4, 4, 6],
    [7, 1, 2, 9],
  ];
  const model = new NgramModel(seqs, V, 3, 0.1);

  it('matches the interpolated add-k formulas and sums to 1 over the vocabulary for every context', () => {
    for (const history of [[], [2], [1, 2], [2, 3], [4, 4], [9], [15, 15], [3, 4]]) {
      const row = model.row(history);
      const dense = denseStyle(seqs, V, 3, 0.1, history);
      let sum = 0;
      for (let v = 0; v < V; v++) {
        const s = styleValue(row, v);
        expect(s).toBeLessThanOrEqual(0);
        expect(Math.exp(s)).toBeCloseTo(dense[v]!, 12);
        sum += Math.exp(s);
      }
      expect(sum).toBeCloseTo(1, 9);
    }
  });

  it('uses an order only where the corpus holds its context', () => {
    expect(model.row([1, 2]).orders).toEqual([1, 2, 3]);
    expect(model.row([9, 2]).orders).toEqual([1, 2]); // "9 2" never occurs, "2 ·" does
    expect(model.row([9]).orders).toEqual([1]); // 9 ends a passage: never followed
    expect(model.row([5, 9]).orders).toEqual([1]);
    expect(new NgramModel(seqs, V, 1, 0.1).row([1, 2]).orders).toEqual([1]);
  });

  it('never crosses a passage or a special token, and floors s at log P_MIN', () => {
    const m = new NgramModel([[1, 2, 0, 3, 4]], V, 2, 0.1, new Set([0]));
    expect(m.tokens).toBe(4);
    // "2 → 3" would cross the special token: 2's successors are never counted, its row has order 1 only.
    expect(m.row([2]).orders).toEqual([1]);
    const tiny = new NgramModel([[1, 1, 1]], 1_000_000, 1, 1e-9); // k/(N + kV) = 3.3e-10 < P_MIN
    expect(tiny.row([]).base).toBe(Math.log(P_MIN));
  });

  it('lists the style prior’s favourites in probability order', () => {
    const top = topStyle(model.row([2, 3]), 3);
    expect(top[0]!.id).toBe(4); // "2 3 4" twice, "2 3 5" once
    expect(top.map((t) => t.p)).toEqual([...top.map((t) => t.p)].sort((a, b) => b - a));
  });
});

describe('n-gram style injection (strategy ngram)', () => {
  const corpus = [text([4, 5, 6, 7, 8, 9, 10, 11]), text([5, 6, 4, 12])];

  it('λ = 0 is greedy, token for token', async () => {
    const { run } = ngramRun({ lambda: 0 }, corpus);
    const tokens = await take(run, 20);
    expect(tokens.map((t) => t.id)).toEqual(await greedyIds(modelRow, 20));
    expect(tokens.every((t) => (t.annotations as NgramAnnotations).provenance === 'no style term')).toBe(true);
  });

  it('one repeated sentence with a large λ is reproduced after a matching 2-token prompt', async () => {
    const sentence = [3, 9, 14, 2, 7, 11, 5, 13, 6];
    const seq = new CpuSequence([3, 9], modelRow);
    const run = new NgramRun(seq, parseNgramSettings({ corpusName: 'none', lambda: 20 }), tokenizer, async () => [text(sentence), text(sentence)], new Rng(1), 10);
    const tokens = await take(run, sentence.length - 2);
    expect(tokens.map((t) => t.id)).toEqual(sentence.slice(2));
    expect(await greedyIds(modelRow, 7)).not.toEqual(sentence.slice(2)); // the model alone would not
  });

  it('picks argmax(z + λ·s) over the dense prior, and names the model’s own pick', async () => {
    const { run } = ngramRun({ lambda: 1.5 }, corpus);
    const tokens = await take(run, 30);
    const model = new NgramModel(corpus.map(tokenizer.encode), V, 3, 0.1, tokenizer.specials);
    let flips = 0;
    tokens.forEach((t, i) => {
      const history = [...PROMPT, ...tokens.slice(0, i).map((x) => x.id)];
      const z = modelRow(history);
      const row = model.row(history);
      const fused = z.map((x, v) => x + 1.5 * styleValue(row, v));
      const a = t.annotations as NgramAnnotations;
      expect(t.id).toBe(fused.indexOf(Math.max(...fused)));
      expect(a.modelChoice.id).toBe(z.indexOf(Math.max(...z)));
      expect(a.provenance).toBe(t.id === a.modelChoice.id ? 'model choice' : 'flipped by style');
      if (a.provenance === 'flipped by style') flips++;
      const m = Math.max(...fused);
      const p = Math.exp(fused[t.id]! - m) / fused.reduce((s, x) => s + Math.exp(x - m), 0);
      expect(a.processedProb).toBeCloseTo(p, 5);
      expect(a.lift).toBeCloseTo(1.5 * (styleValue(row, t.id) - row.base), 9);
      expect(a.styleProb).toBeCloseTo(Math.exp(styleValue(row, t.id)), 12);
      // Without the style term: the model's softmax of this token.
      const mz = Math.max(...z);
      expect(a.probWithout).toBeCloseTo(Math.exp(z[t.id]! - mz) / z.reduce((s, x) => s + Math.exp(x - mz), 0), 5);
    });
    expect(flips).toBeGreaterThan(0);
    expect((tokens[0]!.annotations as NgramAnnotations).corpus).toMatchObject({ passages: 2, tokens: 12, order: 3 });
    expect((tokens[1]!.annotations as NgramAnnotations).corpus).toBeUndefined();
  });

  it('sampling: the same seed gives the same tokens, and the model’s pick uses the same uniform', async () => {
    const a = await take(ngramRun({ lambda: 1, temperature: 1 }, corpus, modelRow, 7).run, 25);
    const b = await take(ngramRun({ lambda: 1, temperature: 1 }, corpus, modelRow, 7).run, 25);
    expect(a.map((t) => t.id)).toEqual(b.map((t) => t.id));
    expect(a.every((t) => (t.annotations as NgramAnnotations).sampled)).toBe(true);
    // λ = 0 with the same seed: every draw equals the model's own pick reported under λ = 1 at the same step
    // as long as the two runs have emitted the same text so far.
    const plain = await take(ngramRun({ lambda: 0, temperature: 1 }, corpus, modelRow, 7).run, 25);
    const firstFlip = a.findIndex((t) => (t.annotations as NgramAnnotations).provenance === 'flipped by style');
    const upTo = firstFlip < 0 ? a.length : firstFlip + 1;
    a.slice(0, upTo).forEach((t, i) => expect((t.annotations as NgramAnnotations).modelChoice.id).toBe(plain[i]!.id));
  });

  it('refuses a run with no style text, and text the model has no tokens for', async () => {
    await expect(ngramRun({}, []).run.step()).rejects.toThrow(/needs a style corpus/);
    await expect(ngramRun({}, [text([40, 50])]).run.step()).rejects.toThrow(/no tokens this model knows/);
  });

  it('checks its parameters, naming the parameter and the value', () => {
    expect(() => parseNgramSettings({ n: 4 })).toThrow(/n must be/);
    expect(() => parseNgramSettings({ lambda: -1 })).toThrow(/lambda/);
    expect(() => parseNgramSettings({ smoothing: 0 })).toThrow(/smoothing/);
    expect(() => parseNgramSettings({ corpusName: 'shakespeare' })).toThrow(/corpusName/);
  });
});
