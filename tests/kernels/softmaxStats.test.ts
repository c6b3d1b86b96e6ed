import { describe, expect, it } from 'vitest';
import { KernelArgumentError, NonFiniteRowError } from '../../kernels/errors';
import { softmaxStatsCpu } from '../../kernels/reference/softmaxStats';
import { dense, randomRow, rng } from './fixtures';

/** Textbook definitions, no shifting: only for small, tame rows. */
function naive(row: number[], tokenId: number | null) {
  const finite = row.filter((z) => z !== -Infinity);
  const sum = finite.reduce((a, z) => a + Math.exp(z), 0);
  const p = finite.map((z) => Math.exp(z) / sum);
  const z = tokenId === null ? null : (row[tokenId] ?? -Infinity);
  return {
    max: Math.max(...finite),
    lse: Math.log(sum),
    entropy: -p.reduce((a, pi) => a + (pi > 0 ? pi * Math.log(pi) : 0), 0),
    tokenLogit: z,
    tokenProb: z === null ? null : Math.exp(z) / sum,
  };
}

describe('softmaxStatsCpu', () => {
  it('matches the textbook formulas on random rows with ties and -inf', () => {
    const rand = rng(1);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(rand() * 300);
      const row = randomRow(rand, n);
      row[Math.floor(rand() * n)] = 1; // at least one finite entry
      const tokenId = trial % 3 === 0 ? null : Math.floor(rand() * n);
      const [got] = softmaxStatsCpu(Float32Array.from(row), dense(1, n), [tokenId]);
      const want = naive(Array.from(Float32Array.from(row)), tokenId);
      expect(got?.max).toBe(want.max);
      expect(got?.lse).toBeCloseTo(want.lse, 10);
      expect(got?.entropy).toBeCloseTo(want.entropy, 10);
      expect(got?.tokenLogit).toBe(want.tokenLogit);
      if (want.tokenProb === null) expect(got?.tokenProb).toBeNull();
      else expect(got?.tokenProb).toBeCloseTo(want.tokenProb, 12);
    }
  });

  it('gives log n entropy for a uniform row and is shift invariant', () => {
    const [a] = softmaxStatsCpu(new Float32Array(1000).fill(3), dense(1, 1000));
    expect(a?.entropy).toBeCloseTo(Math.log(1000), 12);
    expect(a?.lse).toBeCloseTo(3 + Math.log(1000), 12);
    const row = Float32Array.from([0.5, -1, 2, 2, -Infinity, 0]);
    const [b] = softmaxStatsCpu(row, dense(1, 6));
    const [c] = softmaxStatsCpu(
      row.map((z) => z + 1000),
      dense(1, 6),
    );
    expect(c?.entropy).toBeCloseTo(b?.entropy ?? NaN, 9);
    expect(c?.lse).toBeCloseTo((b?.lse ?? NaN) + 1000, 9);
  });

  it('gives zero entropy and probability one for a single finite entry', () => {
    const [r] = softmaxStatsCpu(Float32Array.from([-Infinity, 7, -Infinity]), dense(1, 3), [1]);
    expect(r).toEqual({ max: 7, lse: 7, entropy: 0, tokenLogit: 7, tokenProb: 1 });
  });

  it('ignores entries at or beyond validVocab, however large', () => {
    const data = Float32Array.from([1, 2, 3, 100, 100]);
    const [r] = softmaxStatsCpu(data, dense(1, 5, 3), [4]);
    expect(r?.max).toBe(3);
    expect(r?.lse).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 12);
    expect(r?.tokenLogit).toBe(-Infinity);
    expect(r?.tokenProb).toBe(0);
  });

  it('reads strided rows after an offset', () => {
    const data = Float32Array.from([9, 9, 0, 1, 9, 2, 3, 9]);
    const layout = { rows: 2, rowLength: 2, validVocab: 2, offsetElems: 2, rowStrideElems: 3 };
    const rows = softmaxStatsCpu(data, layout, [1, null]);
    expect(rows.map((r) => r.max)).toEqual([1, 3]);
    expect(rows[0]?.tokenLogit).toBe(1);
    expect(rows[1]?.tokenLogit).toBeNull();
  });

  it('throws NonFiniteRowError naming an all-masked row', () => {
    const data = Float32Array.from([0, 1, -Infinity, -Infinity, 5, 6]);
    const run = () => softmaxStatsCpu(data, dense(3, 2));
    expect(run).toThrow(NonFiniteRowError);
    expect(run).toThrow('row 1 has no finite logit');
    // Masked by validVocab counts as masked too.
    expect(() => softmaxStatsCpu(Float32Array.from([-Infinity, 4]), dense(1, 2, 1))).toThrow('row 0 has no finite logit');
  });

  it('throws for NaN or +inf entries instead of returning NaN', () => {
    for (const bad of [NaN, Infinity]) {
      const err = (() => {
        try {
          softmaxStatsCpu(Float32Array.from([0, 1, 2, bad]), dense(2, 2));
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(NonFiniteRowError);
      expect(err).toMatchObject({ row: 1, reason: 'nan-or-inf' });
    }
  });

  it('validates its arguments with errors naming parameter and value', () => {
    const data = new Float32Array(4);
    expect(() => softmaxStatsCpu(data, dense(1, 4), [4])).toThrow('tokenIds[0] must be an integer in [0, 3], got 4');
    expect(() => softmaxStatsCpu(data, dense(2, 4))).toThrow('data.length must be at least 8 elements for these rows, got 4');
    expect(() => softmaxStatsCpu(data, dense(0, 4))).toThrow(KernelArgumentError);
    expect(() => softmaxStatsCpu(data, { ...dense(1, 4), validVocab: 0 })).toThrow('src.validVocab must be an integer in [1, 4], got 0');
  });
});
