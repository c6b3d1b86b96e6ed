import { describe, expect, it } from 'vitest';
import { NonFiniteRowError } from '../../kernels/errors';
import { readRowsCpu } from '../../kernels/reference/rowReadout';
import { softmaxStatsCpu } from '../../kernels/reference/softmaxStats';
import { topKCpu } from '../../kernels/reference/topK';
import { dense, randomRow, rng } from './fixtures';

describe('readRowsCpu', () => {
  it('combines stats and top-k per row and counts the bytes it read', () => {
    const rand = rng(3);
    const layout = { rows: 3, rowLength: 50, validVocab: 45, offsetElems: 7, rowStrideElems: 60 };
    const data = Float32Array.from(randomRow(rand, 7 + 2 * 60 + 50, 0.2));
    const tokenIds = [null, 3, 49];
    const r = readRowsCpu(data, layout, { k: 5, tokenIds });
    const stats = softmaxStatsCpu(data, layout, tokenIds);
    const tops = topKCpu(data, layout, 5);
    expect(r.rows).toEqual(stats.map((s, i) => ({ ...s, ...tops[i] })));
    expect(r.bytesRead).toBe(3 * 45 * 4);
    expect(r.rows[2]?.tokenLogit).toBe(-Infinity);
    expect(r.rows[0]?.tokenProb).toBeNull();
  });

  it('has the RowReadoutResult shape', () => {
    const r = readRowsCpu(Float32Array.from([0, 1, 1]), dense(1, 3), { k: 2, tokenIds: [2] });
    expect(r.rows).toHaveLength(1);
    expect(Object.keys(r.rows[0] ?? {}).sort()).toEqual(['entropy', 'lse', 'max', 'tokenLogit', 'tokenProb', 'topIds', 'topLogits'].sort());
    expect(r.rows[0]?.topIds).toEqual([1, 2]);
  });

  it('throws NonFiniteRowError naming the first bad row', () => {
    const data = Float32Array.from([1, -Infinity, -Infinity, -Infinity]);
    expect(() => readRowsCpu(data, dense(2, 2), { k: 1 })).toThrow(NonFiniteRowError);
    expect(() => readRowsCpu(data, dense(2, 2), { k: 1 })).toThrow(/^row 1 has no finite logit/);
  });

  it('validates tokenIds and k before reading', () => {
    const data = new Float32Array(4);
    expect(() => readRowsCpu(data, dense(1, 4), { k: 1, tokenIds: [] })).toThrow(
      'tokenIds must be an array with one entry per row (1), got an array of length 0',
    );
    expect(() => readRowsCpu(data, dense(1, 4), { k: 70 })).toThrow('k must be an integer in [1, 64], got 70');
  });
});
