import { describe, expect, it } from 'vitest';
import { NonFiniteRowError } from '../../kernels/errors';
import { topKCpu } from '../../kernels/reference/topK';
import { dense, randomRow, rng } from './fixtures';

/** Sort everything finite by (logit desc, id asc) and cut: the definition of the order. */
function naiveTopK(row: number[], k: number) {
  const entries = row.map((z, id) => ({ z, id })).filter((e) => e.z !== -Infinity);
  entries.sort((a, b) => b.z - a.z || a.id - b.id);
  const top = entries.slice(0, k);
  return { topIds: top.map((e) => e.id), topLogits: top.map((e) => e.z) };
}

describe('topKCpu', () => {
  it('matches a full sort on random rows with many ties and -inf entries', () => {
    const rand = rng(2);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rand() * 400);
      const k = 1 + Math.floor(rand() * 64);
      const row = Array.from(Float32Array.from(randomRow(rand, n, 0.3)));
      row[Math.floor(rand() * n)] = 0;
      const [got] = topKCpu(Float32Array.from(row), dense(1, n), k);
      expect(got).toEqual(naiveTopK(row, k));
    }
  });

  it('breaks ties towards the lower id, -0 and +0 included', () => {
    const [r] = topKCpu(Float32Array.from([1, 3, 3, 0, -0, 3, 0]), dense(1, 7), 6);
    expect(r?.topIds).toEqual([1, 2, 5, 0, 3, 4]);
  });

  it('returns only the finite entries when there are fewer than k', () => {
    const [r] = topKCpu(Float32Array.from([-Infinity, 2, -Infinity, 5]), dense(1, 4), 64);
    expect(r).toEqual({ topIds: [3, 1], topLogits: [5, 2] });
  });

  it('ignores entries at or beyond validVocab', () => {
    const rows = topKCpu(Float32Array.from([1, 2, 50, 3, 4, 60]), dense(2, 3, 2), 2);
    expect(rows.map((r) => r.topIds)).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('throws NonFiniteRowError naming an all-masked row', () => {
    const data = Float32Array.from([1, 2, -Infinity, 7]);
    expect(() => topKCpu(data, dense(2, 2, 1), 1)).toThrow(NonFiniteRowError);
    expect(() => topKCpu(data, dense(2, 2, 1), 1)).toThrow('row 1 has no finite logit');
  });

  it('rejects k outside [1, 64]', () => {
    const data = new Float32Array(4);
    expect(() => topKCpu(data, dense(1, 4), 0)).toThrow('k must be an integer in [1, 64], got 0');
    expect(() => topKCpu(data, dense(1, 4), 65)).toThrow('got 65');
    expect(() => topKCpu(data, dense(1, 4), 1.5)).toThrow('got 1.5');
  });
});
