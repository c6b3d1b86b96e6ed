import { describe, expect, it } from 'vitest';
import { KernelArgumentError, NonFiniteRowError } from '../../kernels/errors';
import { MAX_K } from '../../kernels/limits';
import { f16BitsToF32, f32ToF16Bits } from '../../kernels/reference/f16';
import { readRowsCpu } from '../../kernels/reference/rowReadout';
import { readRowsFast } from '../../kernels/reference/rowReadoutFast';
import type { LogitRowsLayout, RowReadoutOptions, RowReadoutResult } from '../../kernels/types';
import { dense, randomRow, rng } from './fixtures';

const TOL = 1e-9;

/** |got − want| ≤ TOL · max(1, |want|): relative, absolute near 0 (lse of log-probs, entropy of a peaked row). */
function close(got: number, want: number, what: string): void {
  const err = Math.abs(got - want);
  if (!(err <= TOL * Math.max(1, Math.abs(want)))) throw new Error(`${what}: got ${got}, want ${want} (|diff| ${err})`);
}

/** readRowsFast agrees with the oracle: exact where it must be, within TOL for the exp sums. */
function expectSame(data: Float32Array, layout: LogitRowsLayout, opts: RowReadoutOptions, label = ''): RowReadoutResult {
  const want = readRowsCpu(data, layout, opts);
  const got = readRowsFast(data, layout, opts);
  expect(got.bytesRead).toBe(want.bytesRead);
  expect(got.rows).toHaveLength(want.rows.length);
  want.rows.forEach((w, r) => {
    const g = got.rows[r]!;
    const at = `${label} row ${r}`;
    expect(Object.keys(g).sort(), at).toEqual(Object.keys(w).sort());
    expect(g.topIds, at).toEqual(w.topIds);
    expect(g.topLogits, at).toEqual(w.topLogits);
    expect(g.max, at).toBe(w.max);
    expect(g.tokenLogit, at).toBe(w.tokenLogit);
    close(g.lse, w.lse, `${at} lse`);
    close(g.entropy, w.entropy, `${at} entropy`);
    if (w.tokenProb === null) expect(g.tokenProb, at).toBeNull();
    else {
      const err = Math.abs(g.tokenProb! - w.tokenProb);
      if (!(err <= TOL * w.tokenProb + 1e-300)) throw new Error(`${at} tokenProb: got ${g.tokenProb}, want ${w.tokenProb}`);
    }
  });
  return got;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** Both throw the same error: class, message, and for NonFiniteRowError the row and reason. */
function expectSameError(data: Float32Array, layout: LogitRowsLayout, opts: RowReadoutOptions): unknown {
  const want = thrown(() => readRowsCpu(data, layout, opts));
  const got = thrown(() => readRowsFast(data, layout, opts));
  expect(got).toBeInstanceOf(Error);
  expect((got as Error).constructor).toBe((want as Error).constructor);
  expect((got as Error).message).toBe((want as Error).message);
  if (want instanceof NonFiniteRowError) {
    expect((got as NonFiniteRowError).row).toBe(want.row);
    expect((got as NonFiniteRowError).reason).toBe(want.reason);
  }
  return got;
}

/** Standard normal (Box–Muller). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

type Gen = (rand: () => number, n: number) => number[];

/** Logit-like rows: normal(0, σ) with a few large values, quarter-quantised ties, f16-rounded, extreme spreads. */
const GENERATORS: Record<string, Gen> = {
  realistic: (rand, n) => {
    const row = Array.from({ length: n }, () => 3 * normal(rand));
    for (let j = 0; j < 3; j++) row[Math.floor(rand() * n)] = 15 + 10 * rand();
    return row;
  },
  ties: (rand, n) => randomRow(rand, n, 0.2),
  f16: (rand, n) => Array.from({ length: n }, () => f16BitsToF32(f32ToF16Bits(Math.fround(4 * normal(rand))))),
  masked: (rand, n) => Array.from({ length: n }, () => (rand() < 0.7 ? -Infinity : 2 * normal(rand))),
  // Differences beyond the fast exp's cutoff (−708) and across many binades of the 2^n table.
  extreme: (rand, n) => Array.from({ length: n }, () => (rand() < 0.1 ? -Infinity : rand() < 0.5 ? -1e3 * rand() : (rand() - 0.5) * 1e30 * rand() ** 8)),
  peaked: (rand, n) => Array.from({ length: n }, (_, i) => (i === Math.floor(n / 2) ? 60 : -40 + rand())),
  flat: (_rand, n) => Array.from({ length: n }, () => 1.5),
  logprobs: (rand, n) => {
    const z = Array.from({ length: n }, () => 2 * normal(rand));
    const m = z.reduce((a, v) => (v > a ? v : a), -Infinity);
    const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
    return z.map((v) => v - lse);
  },
};

/** One or more rows at `offset` with `stride`; padding and entries ≥ validVocab hold NaN (never read). */
function buildRows(rand: () => number, gen: Gen, rows: number, rowLength: number, validVocab: number, offset: number, stride: number) {
  const data = new Float32Array(offset + (rows - 1) * stride + rowLength).fill(NaN);
  for (let r = 0; r < rows; r++) {
    const row = gen(rand, validVocab);
    if (!row.some((z) => Math.fround(z) !== -Infinity)) row[Math.floor(rand() * validVocab)] = 0;
    data.set(row, offset + r * stride);
  }
  const layout: LogitRowsLayout = { rows, rowLength, validVocab, offsetElems: offset, rowStrideElems: stride };
  return { data, layout };
}

function randomTokenIds(rand: () => number, rows: number, rowLength: number): (number | null)[] {
  return Array.from({ length: rows }, () => (rand() < 0.25 ? null : Math.floor(rand() * rowLength)));
}

describe('readRowsFast', () => {
  it('matches readRowsCpu on random single rows of every length, generator and k', () => {
    const rand = rng(11);
    for (const n of [1, 2, 7, 258, 32000, 151936]) {
      const seeds = n > 10000 ? 2 : 12;
      for (const [name, gen] of Object.entries(GENERATORS)) {
        for (let seed = 0; seed < seeds; seed++) {
          const { data, layout } = buildRows(rand, gen, 1, n, n, 0, n);
          const k = 1 + Math.floor(rand() * MAX_K);
          expectSame(data, layout, { k, tokenIds: randomTokenIds(rand, 1, n) }, `${name} n=${n} k=${k}`);
        }
      }
    }
  });

  it('matches for every k in [1, MAX_K], fewer finite entries than k included', () => {
    const rand = rng(12);
    for (let k = 1; k <= MAX_K; k++) {
      for (const n of [1, 7, 40, 258]) {
        const gen = k % 2 ? GENERATORS.ties! : GENERATORS.masked!;
        const { data, layout } = buildRows(rand, gen, 1, n, n, 0, n);
        expectSame(data, layout, { k, tokenIds: [Math.floor(rand() * n)] }, `k=${k} n=${n}`);
      }
    }
  });

  it('matches on several rows with offsets, strides, validVocab < rowLength and token ids', () => {
    const rand = rng(13);
    for (let trial = 0; trial < 120; trial++) {
      const rows = 1 + Math.floor(rand() * 6);
      const rowLength = 1 + Math.floor(rand() * (trial < 100 ? 600 : 40000));
      const validVocab = 1 + Math.floor(rand() * rowLength);
      const stride = rowLength + Math.floor(rand() * 9);
      const offset = Math.floor(rand() * 17);
      const names = Object.keys(GENERATORS);
      const name = names[trial % names.length]!;
      const { data, layout } = buildRows(rand, GENERATORS[name]!, rows, rowLength, validVocab, offset, stride);
      const k = 1 + Math.floor(rand() * MAX_K);
      const tokenIds = trial % 5 === 0 ? undefined : randomTokenIds(rand, rows, rowLength);
      expectSame(data, layout, tokenIds ? { k, tokenIds } : { k }, `${name} trial ${trial}`);
    }
  });

  it('matches at MAX_ROWS-style batches of long rows', () => {
    const rand = rng(14);
    const { data, layout } = buildRows(rand, GENERATORS.realistic!, 16, 32000, 31990, 5, 32003);
    expectSame(data, layout, { k: 50, tokenIds: randomTokenIds(rand, 16, 32000) });
  });

  it('handles a row with one finite entry, masked and beyond-validVocab token ids', () => {
    const row = new Float32Array(300).fill(-Infinity);
    row[123] = -7.25;
    const layout = { rows: 1, rowLength: 300, validVocab: 290, offsetElems: 0, rowStrideElems: 300 };
    const r = expectSame(row, layout, { k: MAX_K, tokenIds: [5] }).rows[0]!;
    expect(r.topIds).toEqual([123]);
    expect(r.lse).toBe(-7.25);
    expect(r.entropy).toBe(0);
    expect(r.tokenLogit).toBe(-Infinity);
    expect(r.tokenProb).toBe(0);
    expect(expectSame(row, layout, { k: 3, tokenIds: [295] }).rows[0]!.tokenLogit).toBe(-Infinity);
    expect(expectSame(row, layout, { k: 3, tokenIds: [123] }).rows[0]!.tokenProb).toBe(1);
    expect(expectSame(row, layout, { k: 3, tokenIds: [null] }).rows[0]!.tokenProb).toBeNull();
  });

  it('breaks ties towards the lower id, -0 and +0 included', () => {
    const data = Float32Array.from([1, 3, 3, 0, -0, 3, 0, -Infinity, 3]);
    for (let k = 1; k <= 9; k++) expectSame(data, dense(1, 9), { k });
    expect(readRowsFast(data, dense(1, 9), { k: 7 }).rows[0]!.topIds).toEqual([1, 2, 5, 8, 0, 3, 4]);
  });

  it('throws the same NonFiniteRowError (row, reason, message) as readRowsCpu', () => {
    const rand = rng(15);
    for (let trial = 0; trial < 80; trial++) {
      const rows = 1 + Math.floor(rand() * 4);
      const n = 1 + Math.floor(rand() * 300);
      const { data, layout } = buildRows(rand, GENERATORS.ties!, rows, n, n, 2, n + 1);
      const bad = Math.floor(rand() * rows);
      const start = 2 + bad * (n + 1);
      const kind = trial % 4;
      if (kind === 0) data[start + Math.floor(rand() * n)] = NaN;
      else if (kind === 1) data[start + Math.floor(rand() * n)] = Infinity;
      else if (kind === 2) data.fill(-Infinity, start, start + n);
      else {
        data.fill(-Infinity, start, start + n);
        data[start + Math.floor(rand() * n)] = rand() < 0.5 ? NaN : Infinity;
      }
      if (rand() < 0.3 && bad + 1 < rows) data[start + n + 1] = NaN; // a later bad row: the first is reported
      const e = expectSameError(data, layout, { k: 1 + Math.floor(rand() * MAX_K) });
      expect(e).toBeInstanceOf(NonFiniteRowError);
      expect((e as NonFiniteRowError).row).toBe(bad);
    }
  });

  it('reports NaN / +inf with the reference count when k is full of +inf', () => {
    const data = Float32Array.from([Infinity, Infinity, 1, NaN, Infinity, 2]);
    const e = expectSameError(data, dense(1, 6), { k: 2 });
    expect((e as Error).message).toBe('row 0 contains NaN or +inf logits (4 such entries)');
  });

  it('validates k, layout, tokenIds and extent like readRowsCpu', () => {
    const data = new Float32Array(16);
    const cases: [LogitRowsLayout, RowReadoutOptions][] = [
      [dense(1, 16), { k: 0 }],
      [dense(1, 16), { k: MAX_K + 1 }],
      [dense(1, 16), { k: 1.5 }],
      [dense(1, 16), { k: '3' as unknown as number }],
      [dense(1, 16), { k: 1, tokenIds: [] }],
      [dense(1, 16), { k: 1, tokenIds: [16] }],
      [dense(1, 16), { k: 1, tokenIds: [-1] }],
      [dense(2, 8), { k: 1, tokenIds: [0, 0.5] }],
      [dense(0, 16), { k: 1 }],
      [dense(1, 16, 17), { k: 1 }],
      [dense(1, 16, 0), { k: 1 }],
      [{ ...dense(2, 8), rowStrideElems: 7 }, { k: 1 }],
      [{ ...dense(1, 16), offsetElems: -1 }, { k: 1 }],
      [{ ...dense(1, 16), offsetElems: 1 }, { k: 1 }],
      [dense(3, 8), { k: 1 }],
      [dense(1, 32), { k: 0 }], // several problems: the first check wins in both
    ];
    for (const [layout, opts] of cases) expect(expectSameError(data, layout, opts)).toBeInstanceOf(KernelArgumentError);
  });

  it('is stateless across calls (the shared top-k buffer is reset per row)', () => {
    const big = Float32Array.from({ length: 100 }, (_, i) => 100 - i);
    readRowsFast(big, dense(1, 100), { k: MAX_K });
    expectSame(Float32Array.from([-5, -Infinity, -6]), dense(1, 3), { k: MAX_K });
  });
});
