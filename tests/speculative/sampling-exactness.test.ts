import { describe, expect, it } from 'vitest';
import { Rng } from '../../workers/rng';
import { acceptGreedy, acceptRatio, acceptSampling, residual, sampleInverseCdf, speculativeDense } from '../../strategies/speculative/worker/verify';
import { chiSquare, normalise } from './chi-square';

const DRAWS = 100_000;
const p = normalise([5, 1, 8, 0, 3, 2, 6, 4]);
const qCases: Record<string, number[]> = {
  'close to p': normalise([4, 2, 7, 1, 3, 2, 5, 4]),
  'uniform': normalise([1, 1, 1, 1, 1, 1, 1, 1]),
  'peaked elsewhere': normalise([0.1, 9, 0.1, 6, 0.1, 0.1, 0.1, 0.1]),
  'p itself': p,
};
const disjoint = normalise([0, 3, 0, 5, 0, 0, 0, 0]); // q has mass only where p has none
const pDisjoint = normalise([5, 0, 8, 0, 3, 2, 6, 4]);

/** First emitted token of single-step speculative sampling (k = 1): d_1 ~ q, then verify against p. */
function firstToken(pRow: number[], qRow: number[], rng: Rng): { token: number; accepted: number } {
  const d1 = sampleInverseCdf(qRow, rng.next());
  const it = speculativeDense([d1], [pRow, pRow], [qRow], () => rng.next());
  return { token: it.accepted === 1 ? d1 : it.next, accepted: it.accepted };
}

describe('speculative sampling reproduces the target distribution (chi-square, α = 0.001, 1e5 draws)', () => {
  for (const [name, q] of Object.entries(qCases)) {
    it(`q ${name}`, () => {
      const rng = new Rng(20240 + name.length);
      const counts = new Array<number>(p.length).fill(0);
      for (let n = 0; n < DRAWS; n++) counts[firstToken(p, q, rng).token]!++;
      const { stat, critical, impossible } = chiSquare(counts, p);
      expect(impossible).toBe(0);
      expect(stat).toBeLessThan(critical);
    });
  }

  it('q with a support disjoint from p: never accepted (τ = 1), output still ~ p', () => {
    const rng = new Rng(99);
    const counts = new Array<number>(p.length).fill(0);
    let accepted = 0;
    for (let n = 0; n < DRAWS; n++) {
      const r = firstToken(pDisjoint, disjoint, rng);
      counts[r.token]!++;
      accepted += r.accepted;
    }
    expect(accepted).toBe(0);
    const { stat, critical, impossible } = chiSquare(counts, pDisjoint);
    expect(impossible).toBe(0);
    expect(stat).toBeLessThan(critical);
  });

  it('prompt-lookup sampling (one-hot q on a fixed draft) reproduces p', () => {
    for (const d of [2, 1, 3]) {
      const rng = new Rng(7 + d);
      const oneHot = p.map((_, i) => (i === d ? 1 : 0));
      const counts = new Array<number>(p.length).fill(0);
      for (let n = 0; n < DRAWS; n++) {
        const it = speculativeDense([d], [p, p], [oneHot], () => rng.next());
        counts[it.accepted === 1 ? d : it.next]!++;
      }
      const { stat, critical, impossible } = chiSquare(counts, p);
      expect(impossible).toBe(0);
      expect(stat).toBeLessThan(critical);
    }
  });

  it('the test has power: resampling from p instead of the residual is detected', () => {
    const rng = new Rng(5);
    const q = qCases['peaked elsewhere']!;
    const counts = new Array<number>(p.length).fill(0);
    for (let n = 0; n < DRAWS; n++) {
      const d1 = sampleInverseCdf(q, rng.next());
      const keep = rng.next() < acceptRatio(p[d1]!, q[d1]!);
      counts[keep ? d1 : sampleInverseCdf(p, rng.next())]!++;
    }
    expect(chiSquare(counts, p).stat).toBeGreaterThan(chiSquare(counts, p).critical);
  });

  it('two drafts: the second emitted token follows p_2 when the first is p_1', () => {
    const p2 = normalise([1, 4, 1, 4, 1, 4, 1, 4]);
    const q1 = qCases.uniform!;
    const q2 = normalise([3, 1, 3, 1, 3, 1, 3, 1]);
    const rng = new Rng(3);
    const counts = new Array<number>(p.length).fill(0);
    for (let n = 0; n < DRAWS; n++) {
      const d = [sampleInverseCdf(q1, rng.next()), sampleInverseCdf(q2, rng.next())];
      const it = speculativeDense(d, [p, p2, p2], [q1, q2], () => rng.next());
      // Only iterations that kept d_1 emit a second token from this step; otherwise skip the draw.
      if (it.accepted === 0) continue;
      counts[it.accepted === 2 ? d[1]! : it.next]!++;
    }
    const { stat, critical } = chiSquare(counts, p2);
    expect(stat).toBeLessThan(critical);
  });
});

describe('verification rules', () => {
  it('greedy acceptance is the longest agreeing prefix', () => {
    expect(acceptGreedy([3, 4, 5], [3, 4, 6, 1])).toBe(2);
    expect(acceptGreedy([3, 4, 5], [2, 4, 5, 1])).toBe(0);
    expect(acceptGreedy([3, 4, 5], [3, 4, 5, 1])).toBe(3);
    expect(acceptGreedy([], [7])).toBe(0);
  });

  it('acceptance ratio min(1, p/q); a zero-q draft is an error', () => {
    expect(acceptRatio(0.2, 0.4)).toBeCloseTo(0.5, 15);
    expect(acceptRatio(0.6, 0.3)).toBe(1);
    expect(() => acceptRatio(0.1, 0)).toThrow(/q_i\(d_i\) is 0/);
    expect(() => acceptRatio(1.5, 0.2)).toThrow(/p_i\(d_i\)/);
  });

  it('stops at the first rejection and reports the uniforms drawn', () => {
    const us = [0.1, 0.7, 0.2];
    const acc = acceptSampling([0.5, 0.3, 0.9], [0.5, 0.6, 0.9], () => us.shift()!);
    expect(acc).toEqual({ accepted: 1, r: [0.1, 0.7] });
  });

  it('residual is norm(max(0, p − q)) and falls back to p when p == q', () => {
    expect(Array.from(residual([0.5, 0.3, 0.2], [0.25, 0.5, 0.25]))).toEqual([1, 0, 0]);
    const r = residual([0.4, 0.4, 0.2], [0.2, 0.2, 0.6]);
    expect(Array.from(r).map((x) => +x.toFixed(12))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(residual([0.4, 0.6], [0.4, 0.6]))).toEqual([0.4, 0.6]);
  });

  it('inverse-CDF sampling walks ids in order with one uniform', () => {
    expect(sampleInverseCdf([0.2, 0, 0.8], 0)).toBe(0);
    expect(sampleInverseCdf([0.2, 0, 0.8], 0.19999)).toBe(0);
    expect(sampleInverseCdf([0.2, 0, 0.8], 0.2)).toBe(2);
    expect(sampleInverseCdf([2, 0, 8], 0.5)).toBe(2);
    expect(() => sampleInverseCdf([0, 0], 0.5)).toThrow(/no mass/);
    expect(() => sampleInverseCdf([1], 1)).toThrow(/u must/);
  });
});
