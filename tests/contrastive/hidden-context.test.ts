import { describe, expect, it } from 'vitest';
import { HiddenContext } from '../../strategies/contrastive/worker/hidden-context';
import { hashVector } from './fake-branching';

function naiveCos(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('HiddenContext', () => {
  it('gives the naive max cosine and its position over a growing context (past the initial capacity)', () => {
    const dim = 16;
    const ctx = new HiddenContext(dim);
    const rows: Float32Array[] = [];
    for (let j = 0; j < 150; j++) {
      const v = hashVector([j], dim).map((x) => x * (1 + j));
      rows.push(v);
      ctx.append(v);
    }
    for (let q = 0; q < 20; q++) {
      const h = hashVector([1000 + q], dim);
      const cos = rows.map((r) => naiveCos(h, r));
      const best = Math.max(...cos);
      const got = ctx.mostSimilar(h);
      expect(got.value).toBeCloseTo(best, 5);
      expect(got.position).toBe(cos.indexOf(best));
      expect(got.value).toBeGreaterThanOrEqual(-1);
      expect(got.value).toBeLessThanOrEqual(1);
    }
  });

  it('degeneration stays within [−1, 1], reaching 1 for a repeated state and −1 for an opposite one', () => {
    const ctx = new HiddenContext(3);
    ctx.append([1e-3, 2e-3, 3e-3]);
    expect(ctx.mostSimilar([100, 200, 300]).value).toBeLessThanOrEqual(1);
    expect(ctx.mostSimilar([100, 200, 300]).value).toBeCloseTo(1, 6);
    const only = new HiddenContext(2);
    only.append([3, 4]);
    expect(only.mostSimilar([-6, -8]).value).toBeGreaterThanOrEqual(-1);
    expect(only.mostSimilar([-6, -8]).value).toBeCloseTo(-1, 6);
  });

  it('ties go to the earlier position; zero vectors count as cosine 0; bad input is named', () => {
    const ctx = new HiddenContext(2);
    ctx.append([0, 1]);
    ctx.append([1, 0]);
    ctx.append([1, 0]);
    expect(ctx.mostSimilar([2, 0])).toEqual({ value: 1, position: 1 });
    expect(ctx.mostSimilar([0, 0]).value).toBe(0);
    expect(new HiddenContext(2).mostSimilar([1, 0])).toEqual({ value: 0, position: -1 });
    expect(() => ctx.append([1, 2, 3])).toThrow(/length 2, got 3/);
    expect(() => ctx.mostSimilar([NaN, 1])).toThrow(/non-finite/);
    expect(() => new HiddenContext(0)).toThrow(/dim must be a positive integer, got 0/);
  });
});
