import { describe, expect, it } from 'vitest';
import { buildGraph, edgePositions, planBatches, type PrefillReader } from '../../strategies/grad/worker/build';
import { TransitionGraph } from '../../strategies/grad/worker/graph';
import { StopRequested } from '../../workers/decode/stop';
import { mulberry32 } from '../../workers/rng';

const BOS = 50;
const PAD = 99;

/** Deterministic pseudo-logit of "token `next` after prefix", positive and negative values alike. */
function fakeLogit(prefix: number[], next: number): number {
  let h = 2166136261;
  for (const x of [...prefix, -1, next]) h = Math.imul(h ^ (x & 0xffff), 16777619) >>> 0;
  return (h % 2001) / 100 - 8; // in [-8, 12.01]
}

/** A reader that sees whole padded rows, so a builder that read padding would get (and use) values. */
class FakeReader implements PrefillReader {
  readonly width = 100;
  calls: number[][][] = [];
  async nextLogits(rows: number[][], wanted: boolean[][]): Promise<(number | null)[][]> {
    this.calls.push(rows);
    return rows.map((r, b) => r.map((_, i) => (wanted[b]![i] && i + 1 < r.length ? fakeLogit(r.slice(0, i + 1), r[i + 1]!) : null)));
  }
}

const SEQS = [
  [BOS, 1, 2, 3, 1, 2, 4],
  [BOS, 2, 3],
  [BOS, 5],
  [BOS],
  [1, 2, 1, 2, 1, 2, 7, 8, 9, 10, 11],
];
const OPTS = { skipIds: new Set([BOS, PAD]), padId: PAD, maxLogitElems: 1e9 };

/** Independent expectation: Σ max(0, logit) over every occurrence of each bigram, specials excluded. */
function expectedEdges(seqs: number[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of seqs) {
    for (let i = 0; i + 1 < s.length; i++) {
      const u = s[i]!;
      const v = s[i + 1]!;
      if (u === BOS || v === BOS) continue;
      const key = `${u}>${v}`;
      m.set(key, (m.get(key) ?? 0) + Math.max(0, fakeLogit(s.slice(0, i + 1), v)));
    }
  }
  for (const [k, w] of m) if (w === 0) m.delete(k);
  return m;
}

describe('TransitionGraph', () => {
  it('stores only positive weights and accumulates them', () => {
    const g = new TransitionGraph();
    g.add(1, 2, 0.5);
    g.add(1, 2, 0.25);
    g.add(1, 3, 0);
    g.add(1, 4, -3);
    expect(g.weight(1, 2)).toBe(0.75);
    expect(g.edgeCount).toBe(1);
    expect(g.normalizedRow(2)).toBeNull();
    expect(() => g.add(-1, 2, 1)).toThrow(/non-negative integers, got -1 → 2/);
    expect(() => g.add(1, 2, NaN)).toThrow(/NaN/);
  });

  it('normalised rows have max exactly 1 and every value in (0, 1]; top successors sort by weight then id', () => {
    const g = new TransitionGraph();
    const rnd = mulberry(7);
    for (let i = 0; i < 400; i++) g.add(Math.floor(rnd() * 6), Math.floor(rnd() * 20), rnd() * 10 - 2);
    for (let u = 0; u < 6; u++) {
      const row = g.normalizedRow(u);
      if (!row) continue;
      expect(Math.max(...row.values)).toBe(1);
      for (const v of row.values) expect(v > 0 && v <= 1).toBe(true);
      expect(row.ids).toEqual([...row.ids].sort((a, b) => a - b));
      const top = g.topSuccessors(u, 3);
      expect(top[0]!.weight).toBe(1);
      for (let i = 1; i < top.length; i++) expect(top[i - 1]!.weight > top[i]!.weight || (top[i - 1]!.weight === top[i]!.weight && top[i - 1]!.id < top[i]!.id)).toBe(true);
    }
  });
});

describe('buildGraph', () => {
  it('every nonzero edge is a bigram of D, weighted by Σ max(0, Z[i, c_{i+1}]); BOS and padding make none', async () => {
    const { graph, prefills } = await buildGraph(SEQS, new FakeReader(), OPTS);
    expect(prefills).toBe(1);
    const expected = expectedEdges(SEQS);
    const edges = graph.edges();
    expect(edges.length).toBe(expected.size);
    for (const [u, v, w] of edges) {
      expect(expected.has(`${u}>${v}`)).toBe(true);
      expect(w).toBeCloseTo(expected.get(`${u}>${v}`)!, 9);
      expect(u).not.toBe(PAD);
      expect(v).not.toBe(PAD);
      expect(u).not.toBe(BOS);
    }
  });

  it('pads rows on the right to one length in a single prefill and skips passages without a bigram', async () => {
    const reader = new FakeReader();
    await buildGraph(SEQS, reader, OPTS);
    expect(reader.calls.length).toBe(1);
    const rows = reader.calls[0]!;
    expect(rows.length).toBe(3); // [BOS, 5] and [BOS] have no pair without BOS
    for (const r of rows) expect(r.length).toBe(11);
    expect(rows[1]).toEqual([BOS, 1, 2, 3, 1, 2, 4, PAD, PAD, PAD, PAD]);
  });

  it('batched and sequential builds give the same graph', async () => {
    const batched = await buildGraph(SEQS, new FakeReader(), OPTS);
    const sequential = await buildGraph(SEQS, new FakeReader(), { ...OPTS, maxRows: 1 });
    expect(sequential.prefills).toBe(3);
    expect(sequential.graph.edges()).toEqual(batched.graph.edges());
  });

  it('polls Stop between prefills: a stopped build runs no further prefill', async () => {
    const reader = new FakeReader();
    let polls = 0;
    const stop = {
      checkpoint: async () => {
        if (++polls >= 1) throw new StopRequested();
      },
    };
    await expect(buildGraph(SEQS, reader, { ...OPTS, maxRows: 1, stop })).rejects.toBeInstanceOf(StopRequested);
    expect(reader.calls.length).toBe(1);
  });

  it('an empty corpus gives an empty graph and no prefill', async () => {
    const reader = new FakeReader();
    const r = await buildGraph([], reader, OPTS);
    expect(r.graph.edgeCount).toBe(0);
    expect(r.prefills).toBe(0);
    expect(reader.calls.length).toBe(0);
  });
});

describe('planBatches', () => {
  it('groups longest first within the budget, every index exactly once', () => {
    const lengths = [5, 50, 7, 50, 20, 1];
    const batches = planBatches(lengths, 10, 1100);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const b of batches) {
      const longest = Math.max(...b.map((i) => lengths[i]!));
      if (b.length > 1) expect(b.length * longest * 10).toBeLessThanOrEqual(1100);
    }
    expect(batches[0]).toEqual([1, 3]);
  });

  it('puts a row larger than the budget alone rather than failing, and validates its arguments', () => {
    expect(planBatches([100, 2], 10, 50)).toEqual([[0], [1]]);
    expect(() => planBatches([1], 0, 10)).toThrow(/width and maxLogitElems must be positive/);
    expect(() => planBatches([1], 1, 10, 0)).toThrow(/maxRows must be at least 1, got 0/);
  });
});

describe('edgePositions', () => {
  it('marks i when c_i and c_{i+1} are both ordinary ids', () => {
    expect(edgePositions([BOS, 1, 2, PAD], new Set([BOS, PAD]))).toEqual([false, true, false, false]);
  });
});

const mulberry = mulberry32;
