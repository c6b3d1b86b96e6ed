// The CPU reference of the weak-to-strong kernels (kernels/reference/w2sFusion.ts) against the
// direct formulas: softmax in f64 over the fused row, KL(F(α) ‖ L) and κ = KL(E ‖ S) summed term by
// term; the common support (−inf in any row masks the entry in all) and non-finite rows.
import { describe, expect, it } from 'vitest';
import { fusedRowCpu, w2sKls, w2sStatsCpu, validateAlphas } from '../../kernels/reference/w2sFusion';
import { alphaGrid } from '../../strategies/w2s/worker/settings';
import { mulberry32 } from '../../workers/rng';

function rows(seed: number, n: number) {
  const r = mulberry32(seed);
  const make = (scale: number) => Float32Array.from({ length: n }, () => (r() - 0.5) * scale);
  return { L: make(8), S: make(6), E: make(6) };
}

const logSoftmax = (z: ArrayLike<number>, keep: (i: number) => boolean) => {
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) if (keep(i)) m = Math.max(m, z[i]!);
  let s = 0;
  for (let i = 0; i < z.length; i++) if (keep(i)) s += Math.exp(z[i]! - m);
  const lse = m + Math.log(s);
  return Array.from(z, (x, i) => (keep(i) ? x - lse : -Infinity));
};

const kl = (p: number[], q: number[]) => p.reduce((acc, lp, i) => (lp === -Infinity ? acc : acc + Math.exp(lp) * (lp - q[i]!)), 0);

describe('w2s CPU reference vs the direct formula', () => {
  for (const [seed, n, valid] of [
    [1, 7, 7],
    [2, 512, 512],
    [3, 1000, 990],
    [4, 5000, 5000],
  ] as const) {
    it(`seed ${seed}: ${n} entries, ${valid} valid`, () => {
      const { L, S, E } = rows(seed, n);
      E[3] = -Infinity; // masked in one row: out of the support in all three
      const row = (data: Float32Array) => ({ data, offsetElems: 0 });
      const grid = alphaGrid(2);
      const stats = w2sStatsCpu(row(L), row(S), row(E), valid, grid);
      expect(stats.support).toBe(valid - 1);
      const { kls, kappa } = w2sKls(stats, grid);
      const keep = (i: number) => i < valid && i !== 3;
      const lpL = logSoftmax(L, keep);
      const direct = grid.map((a) => kl(logSoftmax(fusedRowCpu(row(L), row(S), row(E), valid, n, a), keep), lpL));
      kls.forEach((x, j) => {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeCloseTo(direct[j]!, 9);
      });
      expect(kls[0]).toBe(0);
      expect(kappa).toBeCloseTo(kl(logSoftmax(E, keep), logSoftmax(S, keep)), 9);
      expect(kappa).toBeGreaterThan(0);
    });
  }

  it('the fused row is l + α·(e − s) in f32 on the support, −inf elsewhere', () => {
    const L = Float32Array.from([1, 2, -Infinity, 4, 5, 6]);
    const S = Float32Array.from([0.5, -Infinity, 1, 1, 1, 1]);
    const E = Float32Array.from([1.5, 1, 1, 3, 1, 1]);
    const r = (data: Float32Array) => ({ data, offsetElems: 0 });
    const out = fusedRowCpu(r(L), r(S), r(E), 5, 6, 0.3);
    expect(Array.from(out)).toEqual([Math.fround(1 + Math.fround(Math.fround(0.3) * 1)), -Infinity, -Infinity, Math.fround(4 + Math.fround(Math.fround(0.3) * 2)), 5, -Infinity]);
    // α = 0 is L itself on the support; Δ = 0 (E = S) is L for any α.
    expect(Array.from(fusedRowCpu(r(L), r(S), r(S), 6, 6, 2.5))).toEqual([1, -Infinity, -Infinity, 4, 5, 6]);
  });

  it('E = S gives κ = 0 and KL = 0 at every α exactly; rows with offsets read the right entries', () => {
    const { L, S } = rows(9, 300);
    const packed = new Float32Array(900);
    packed.set(L, 0);
    packed.set(S, 300);
    packed.set(S, 600);
    const grid = alphaGrid(1.5);
    const stats = w2sStatsCpu({ data: packed, offsetElems: 0 }, { data: packed, offsetElems: 300 }, { data: packed, offsetElems: 600 }, 300, grid);
    const { kls, kappa } = w2sKls(stats, grid);
    expect(kappa).toBe(0);
    expect(kls.every((x) => x === 0)).toBe(true);
  });

  it('refuses NaN / +inf, a row with no common support, and a bad grid', () => {
    const r = (xs: number[]) => ({ data: Float32Array.from(xs), offsetElems: 0 });
    expect(() => w2sStatsCpu(r([1, NaN]), r([0, 0]), r([0, 0]), 2, [0])).toThrow(/NaN or \+inf/);
    expect(() => w2sStatsCpu(r([1, -Infinity]), r([-Infinity, 0]), r([0, 0]), 2, [0])).toThrow(/no finite logit/);
    expect(() => validateAlphas([0.1, 0.2])).toThrow(/alphas\[0\] must be 0/);
    expect(() => validateAlphas(Array.from({ length: 33 }, (_, i) => i))).toThrow(/1 to 32 values/);
  });
});
