import { describe, expect, it } from 'vitest';
import type { ParamValue } from '../../protocol';
import { Rng } from '../../workers/rng';
import { promptLookupDecoding } from '../../strategies/speculative/worker/prompt-lookup';
import { speculative } from '../../strategies/speculative/worker/speculative';
import type { DecodingStrategy } from '../../strategies/types';
import { chiSquare } from './chi-square';
import { FakeRunner, toyDraft, toyTarget } from './fake-model';
import { decode, fakeJob } from './helpers';

type LogitsFn = (ids: readonly number[]) => number[];

/** CTRL repetition penalty over the distinct ids of `history` (written from the spec, docs/algorithms.md#repetition-penalty). */
function penalised(z: number[], history: readonly number[], theta: number): number[] {
  const seen = new Set(history);
  return z.map((v, i) => (seen.has(i) ? (v > 0 ? v / theta : v * theta) : v));
}

/** The final sampling distribution: penalty → temperature → top-k (no ties in the toy rows). */
function samplingDist(z: number[], history: readonly number[], c: { theta: number; T: number; topK: number }): number[] {
  const y = penalised(z, history, c.theta).map((v) => v / c.T);
  const kth = [...y].sort((a, b) => b - a)[c.topK - 1]!;
  const w = y.map((v) => (v >= kth ? Math.exp(v) : 0));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

function greedyWithPenalty(fn: LogitsFn, prompt: number[], n: number, theta: number): number[] {
  const ids = [...prompt];
  for (let i = 0; i < n; i++) {
    const y = penalised(fn(ids), ids, theta);
    ids.push(y.indexOf(Math.max(...y)));
  }
  return ids.slice(prompt.length);
}

const V = 6;
const target = toyTarget(V);

describe('speculative strategies through the processor chain (CPU fusion)', () => {
  it('greedy with a repetition penalty equals target greedy with the same penalty, and frees every logits tensor', async () => {
    const prompt = [1, 2, 3];
    const ref = greedyWithPenalty(target, prompt, 40, 1.5);
    expect(ref).not.toEqual(greedyWithPenalty(target, prompt, 40, 1));
    const t = new FakeRunner(prompt, target);
    const d = new FakeRunner(prompt, toyDraft(target, 0.5));
    const spec = await decode(fakeJob(speculative, { k: 3, schedule: 'heuristic', repetitionPenalty: 1.5 }, t, d), 40);
    expect(spec.record.tokens.map((x) => x.id)).toEqual(ref);
    expect(t.forwards).toBeLessThan(40);
    expect([t.liveLogits, d.liveLogits]).toEqual([0, 0]);
    const pt = new FakeRunner(prompt, target);
    const pld = await decode(fakeJob(promptLookupDecoding, { k: 5, ngram: 2, repetitionPenalty: 1.5 }, pt, null), 40);
    expect(pld.record.tokens.map((x) => x.id)).toEqual(ref);
    expect(pt.liveLogits).toBe(0);
  });

  /** First two emitted tokens of many independent single runs sharing one Rng stream. */
  async function firstTwo(strategy: DecodingStrategy, params: Record<string, ParamValue>, prompt: number[], draftFn: LogitsFn | null, draws: number) {
    const rng = new Rng(4242);
    const c1 = new Array<number>(V).fill(0);
    const c2 = new Array<number>(V).fill(0);
    for (let n = 0; n < draws; n++) {
      const t = new FakeRunner(prompt, target);
      const d = draftFn ? new FakeRunner(prompt, draftFn) : null;
      const run = strategy.start({ params, target: t, draft: d, rng, topK: 10, eosIds: [] });
      const ids: number[] = [];
      while (ids.length < 2) ids.push(...(await run.step()).tokens.map((x) => x.id));
      c1[ids[0]!]!++;
      c2[ids[1]!]!++;
    }
    return { c1, c2 };
  }

  function expected(prompt: number[], c: { theta: number; T: number; topK: number }) {
    const p1 = samplingDist(target(prompt), prompt, c);
    const p2 = new Array<number>(V).fill(0);
    p1.forEach((w, t1) => {
      if (w === 0) return;
      const h = [...prompt, t1];
      samplingDist(target(h), h, c).forEach((v, t2) => (p2[t2]! += w * v));
    });
    return { p1, p2 };
  }

  const DRAWS = 40_000;
  const cases: { name: string; strategy: DecodingStrategy; params: Record<string, ParamValue>; prompt: number[]; draft: LogitsFn | null; c: { theta: number; T: number; topK: number } }[] = [
    { name: 'speculative k = 2, T 0.9, top-k 4, penalty 1.2', strategy: speculative, params: { k: 2, schedule: 'constant', temperature: 0.9, topK: 4, repetitionPenalty: 1.2 }, prompt: [1, 2], draft: toyDraft(target, 0.5), c: { theta: 1.2, T: 0.9, topK: 4 } },
    { name: 'speculative k = 3, T 1.3, a draft that always disagrees', strategy: speculative, params: { k: 3, schedule: 'heuristic', temperature: 1.3, topK: 5 }, prompt: [4, 0], draft: toyDraft(target, 0), c: { theta: 1, T: 1.3, topK: 5 } },
    { name: 'prompt lookup k = 3, T 1 (one-hot q)', strategy: promptLookupDecoding, params: { k: 3, ngram: 2, temperature: 1, topK: 5 }, prompt: [1, 2, 3, 4, 1, 2], draft: null, c: { theta: 1, T: 1, topK: 5 } },
  ];
  for (const cs of cases) {
    it(`sampling: ${cs.name} emits tokens distributed as target sampling (chi-square, α = 0.001)`, async () => {
      const { c1, c2 } = await firstTwo(cs.strategy, cs.params, cs.prompt, cs.draft, DRAWS);
      const { p1, p2 } = expected(cs.prompt, cs.c);
      for (const [counts, probs] of [[c1, p1], [c2, p2]] as const) {
        const { stat, critical, impossible } = chiSquare(counts, probs);
        expect(impossible).toBe(0);
        expect(stat).toBeLessThan(critical);
      }
    }, 120_000);
  }
});
