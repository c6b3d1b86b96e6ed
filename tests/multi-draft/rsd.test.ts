// Recursive speculative decoding at one position (docs/algorithms.md#multi-draft): toy p, q over
// 6 tokens, no model. Distributional exactness by chi-square, k = 1 against §5, q = p, distinctness.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../workers/rng';
import { residual, sampleInverseCdf, speculativeDense, acceptRatio } from '../../strategies/speculative/worker/verify';
import { drawWithoutReplacement, greedyCandidates, greedyRoot, recursiveRejection, supportSize, without } from '../../strategies/multi-draft/worker/rsd';
import { denseFromLogits } from '../../strategies/multi-draft/worker/dense';
import { chiSquare, normalise } from '../speculative/chi-square';

const DRAWS = 100_000;
const p = normalise([5, 1, 8, 0, 3, 6]);
const cases: Record<string, { p: number[]; q: number[] }> = {
  'q close to p': { p, q: normalise([4, 2, 7, 1, 3, 5]) },
  'q uniform': { p, q: normalise([1, 1, 1, 1, 1, 1]) },
  'q peaked elsewhere': { p, q: normalise([0.1, 9, 0.1, 6, 0.1, 0.1]) },
  'q with a support disjoint from p': { p: normalise([5, 0, 8, 0, 3, 0]), q: normalise([0, 3, 0, 5, 0, 2]) },
  'q = p': { p, q: p },
  'q with two tokens only (k is cut)': { p, q: normalise([0, 0, 3, 1, 0, 0]) },
};

/** One RSD draw at one position: candidates without replacement from q, then recursive rejection. */
function rsdToken(pRow: number[], qRow: number[], k: number, u: () => number) {
  const c = drawWithoutReplacement(qRow, k, u);
  return { candidates: c, ...recursiveRejection(pRow, qRow, c, u) };
}

describe('recursive rejection without replacement reproduces p (chi-square, α = 0.001, 1e5 draws)', () => {
  for (const [name, { p: pRow, q }] of Object.entries(cases)) {
    for (const k of [1, 2, 3]) {
      it(`${name}, k = ${k}`, () => {
        const rng = new Rng(1000 * k + name.length);
        const u = () => rng.next();
        const counts = new Array<number>(pRow.length).fill(0);
        for (let n = 0; n < DRAWS; n++) counts[rsdToken(pRow, q, k, u).token]!++;
        const { stat, critical, impossible } = chiSquare(counts, pRow);
        expect(impossible).toBe(0);
        expect(stat).toBeLessThan(critical);
      });
    }
  }

  it('the chi-square test has power: keeping q_{i+1} = q with distinct candidates is biased and fails', () => {
    // A deliberately wrong variant (SpecInfer's rule, valid only for i.i.d. candidates, fed distinct ones).
    const { p: pRow, q } = cases['q peaked elsewhere']!;
    const rng = new Rng(5);
    const u = () => rng.next();
    const counts = new Array<number>(pRow.length).fill(0);
    for (let n = 0; n < DRAWS; n++) {
      const c = drawWithoutReplacement(q, 3, u);
      let pi: Float64Array = Float64Array.from(pRow);
      let token = -1;
      for (const x of c) {
        if (u() < acceptRatio(Math.min(1, pi[x]!), q[x]!)) {
          token = x;
          break;
        }
        pi = residual(pi, q);
      }
      if (token < 0) token = sampleInverseCdf(pi, u());
      counts[token]!++;
    }
    expect(chiSquare(counts, pRow).stat).toBeGreaterThan(chiSquare(counts, pRow).critical);
  });
});

describe('recursive rejection: exact properties', () => {
  it('k = 1 equals single-draft speculative sampling (§5) with the same uniforms', () => {
    for (const { p: pRow, q } of Object.values(cases)) {
      for (let seed = 0; seed < 2000; seed++) {
        const a = new Rng(seed);
        const b = new Rng(seed);
        const x = sampleInverseCdf(q, a.next());
        expect(sampleInverseCdf(q, b.next())).toBe(x);
        const rsd = recursiveRejection(pRow, q, [x], () => a.next());
        const spec = speculativeDense([x], [pRow, pRow], [q], () => b.next());
        expect(rsd.accepted === 0).toBe(spec.accepted === 1);
        expect(rsd.stages[0]!.r).toBe(spec.r[0]);
        if (spec.accepted === 0) expect(rsd.token).toBe(spec.next);
      }
    }
  });

  it('q = p: the first candidate is always accepted', () => {
    const rng = new Rng(3);
    const u = () => rng.next();
    for (let n = 0; n < 20_000; n++) {
      const r = rsdToken(p, p, 3, u);
      expect(r.accepted).toBe(0);
      expect(r.stages).toHaveLength(1);
      expect(r.token).toBe(r.candidates[0]);
    }
  });

  it('q disjoint from p: every candidate is rejected, with a residual mass of 1 at the first stage', () => {
    const { p: pRow, q } = cases['q with a support disjoint from p']!;
    const rng = new Rng(4);
    for (let n = 0; n < 2000; n++) {
      const r = rsdToken(pRow, q, 3, () => rng.next());
      expect(r.accepted).toBeNull();
      expect(r.stages[0]!.residualMass).toBeCloseTo(1, 12);
      expect(pRow[r.token]).toBeGreaterThan(0);
    }
  });

  it('candidates are distinct, k is cut to the support, and only tokens with q > 0 are drawn', () => {
    const rng = new Rng(6);
    for (const { q } of Object.values(cases)) {
      for (const k of [1, 2, 3, 6, 8]) {
        for (let n = 0; n < 500; n++) {
          const c = drawWithoutReplacement(q, k, () => rng.next());
          expect(new Set(c).size).toBe(c.length);
          expect(c).toHaveLength(Math.min(k, supportSize(q)));
          for (const x of c) expect(q[x]).toBeGreaterThan(0);
        }
      }
    }
    expect(() => recursiveRejection(p, p, [1, 1], () => 0.5)).toThrow(/distinct/);
  });

  it('the candidates follow sampling without replacement: the second one is ~ q without the first', () => {
    const q = cases['q close to p']!.q;
    const rng = new Rng(8);
    const counts = new Array<number>(q.length).fill(0);
    let n = 0;
    for (let i = 0; i < DRAWS; i++) {
      const c = drawWithoutReplacement(q, 2, () => rng.next());
      if (c[0] !== 2) continue;
      counts[c[1]!]!++;
      n++;
    }
    expect(n).toBeGreaterThan(1000);
    const { stat, critical, impossible } = chiSquare(counts, without(q, 2));
    expect(impossible).toBe(0);
    expect(stat).toBeLessThan(critical);
  });

  it('greedy: candidates are the top processed logits (the first is the argmax, ties to the lower id); accept iff equal to argmax p', () => {
    const y = Float32Array.from([1, 3, -Infinity, 3, 2, 0.5]);
    expect(greedyCandidates(y, 3)).toEqual([1, 3, 4]);
    expect(greedyCandidates(y, 9)).toEqual([1, 3, 4, 0, 5]);
    expect(greedyRoot(4, [1, 3, 4])).toEqual({ accepted: 2, token: 4 });
    expect(greedyRoot(0, [1, 3, 4])).toEqual({ accepted: null, token: 0 });
  });

  it('denseFromLogits: probabilities sum to 1, removed tokens have none, argmax is the lowest top id', () => {
    const d = denseFromLogits(Float32Array.from([0, 2, -Infinity, 2, -1]));
    expect(d.argmax).toBe(1);
    expect(d.probs[2]).toBe(0);
    expect(d.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.probs[1]! / d.probs[0]!).toBeCloseTo(Math.exp(2), 5);
  });
});
