import { describe, expect, it } from 'vitest';
import { GREEDY_CHAIN, type ChainParams } from '../../workers/processors/chain';
import { pickChainCpu, processChainCpu } from '../support/chain-reference';
import { Rng } from '../../workers/rng';
import { hfChain, keptIds } from './hf';

const f32 = (xs: number[]) => Float32Array.from(xs);
const sampling = (c: Partial<ChainParams>): ChainParams => ({ ...GREEDY_CHAIN, temperature: 1, ...c });
const kept = (row: number[], c: ChainParams, history: number[] = []) => keptIds(processChainCpu(f32(row), c, history).y);

describe('processors on fixed vectors (Hugging Face semantics)', () => {
  it('top-k keeps every token tied with the k-th largest', () => {
    expect(kept([1, 3, 3, 2, 3], sampling({ topK: 2 }))).toEqual([1, 2, 4]);
    expect(kept([5, 4, 4, 4, 1], sampling({ topK: 2 }))).toEqual([0, 1, 2, 3]);
    expect(kept([5, 4, 3, 2, 1], sampling({ topK: 3 }))).toEqual([0, 1, 2]);
    expect(kept([5, 4, 3], sampling({ topK: 10 }))).toEqual([0, 1, 2]);
  });

  it('top-p keeps the token that crosses p', () => {
    const row = [0.5, 0.3, 0.2].map(Math.log);
    expect(kept(row, sampling({ topP: 0.45 }))).toEqual([0]);
    expect(kept(row, sampling({ topP: 0.55 }))).toEqual([0, 1]);
    expect(kept(row, sampling({ topP: 0.79 }))).toEqual([0, 1]);
    expect(kept(row, sampling({ topP: 0.81 }))).toEqual([0, 1, 2]);
  });

  it('top-p cuts a tie group at the crossing token, lower ids first', () => {
    // Four equal tokens of 0.25 each: p = 0.6 needs three of them; the lowest ids are kept.
    expect(kept([0, 0, 0, 0], sampling({ topP: 0.6 }))).toEqual([0, 1, 2]);
    expect(kept([-Infinity, 1, 0, 1, 1], sampling({ topP: 0.5 }))).toEqual([1, 3]);
  });

  it('min-p is applied after temperature', () => {
    // p ratio e^-1 ≈ 0.37 at T = 1, e^-2 ≈ 0.14 at T = 0.5: min-p 0.2 keeps it only at T = 1.
    expect(kept([0, -1, -5], sampling({ minP: 0.2 }))).toEqual([0, 1]);
    expect(kept([0, -1, -5], sampling({ minP: 0.2, temperature: 0.5 }))).toEqual([0]);
  });

  it('repetition penalty divides positive and multiplies negative logits, once per distinct id', () => {
    const y = processChainCpu(f32([2, -2, 1, 0.5]), { ...GREEDY_CHAIN, repetitionPenalty: 2 }, [0, 1, 1, 1]).y;
    expect(Array.from(y)).toEqual([1, -4, 1, 0.5]);
    // Greedy after the penalty: 0 and 2 tie at 1; the lower id wins.
    expect(pickChainCpu(f32([2, -2, 1, 0.5]), { ...GREEDY_CHAIN, repetitionPenalty: 2 }, [0, 1], null)).toBe(0);
    expect(pickChainCpu(f32([2, -2, 1, 0.5]), { ...GREEDY_CHAIN, repetitionPenalty: 2.5 }, [0, 1], null)).toBe(2);
  });

  it('repetition penalty θ = 1 is the identity', () => {
    const rand = new Rng(3);
    const row = Array.from({ length: 50 }, () => Math.fround((rand.next() - 0.5) * 20));
    const y = processChainCpu(f32(row), GREEDY_CHAIN, [1, 2, 3, 10, 49]).y;
    expect(Array.from(y)).toEqual(row);
  });

  it('masks entries at or beyond validVocab (padded rows)', () => {
    expect(pickChainCpu(f32([1, 2, 99, 98]), GREEDY_CHAIN, [], null, 2)).toBe(1);
    expect(processChainCpu(f32([1, 2, 99, 98]), sampling({}), [], 2).y.length).toBe(2);
  });

  it('rejects a row whose every entry is masked, never returning NaN', () => {
    expect(() => processChainCpu(f32([-Infinity, -Infinity]), GREEDY_CHAIN, [])).toThrow(/no finite/);
  });
});

describe('oracles (docs/algorithms.md#processor-oracles)', () => {
  const rand = new Rng(11);
  const rows = Array.from({ length: 40 }, (_, t) =>
    Array.from({ length: 5 + (t % 30) }, () => (rand.next() < 0.1 ? -Infinity : Math.fround((rand.next() - 0.5) * 12))),
  ).filter((r) => r.some(Number.isFinite));
  const argmax = (r: number[]) => r.indexOf(Math.max(...r));

  it('T = 1e-6, top-k 1 and top-p → 0 all equal greedy for any uniform', () => {
    for (const row of rows) {
      const u = rand.next();
      const g = argmax(row);
      expect(pickChainCpu(f32(row), sampling({ temperature: 1e-6 }), [], u)).toBe(g);
      expect(pickChainCpu(f32(row), sampling({ topK: 1 }), [], u)).toBe(g);
      expect(pickChainCpu(f32(row), sampling({ topP: 1e-9 }), [], u)).toBe(g);
    }
  });

  it('min-p 1 keeps only the maximum-probability tokens', () => {
    expect(kept([3, 1, 3, 2], sampling({ minP: 1 }))).toEqual([0, 2]);
    for (const row of rows) expect(kept(row, sampling({ minP: 1 }))).toEqual([argmax(row)]);
  });

  it('every setting keeps at least one token and agrees with the float64 HF transcription', () => {
    for (const [t, row] of rows.entries()) {
      const finite = row.filter(Number.isFinite).length;
      const c: ChainParams = {
        temperature: [0, 0.5, 1, 2][t % 4]!,
        topK: [0, 1, 3, 7][(t >> 1) % 4]!,
        topP: [1, 0.9, 0.5, 0.2][(t >> 2) % 4]!,
        minP: [0, 0.05, 0.3][t % 3]!,
        repetitionPenalty: [1, 1.3, 0.8][(t >> 3) % 3]!,
        presencePenalty: [0, 0.4, -0.3, 2][(t >> 2) % 4]!,
      };
      const history = [t % row.length, (3 * t) % row.length];
      const got = kept(row, c, history);
      expect(got.length).toBeGreaterThanOrEqual(1);
      expect(got.length).toBeLessThanOrEqual(finite);
      expect(got).toEqual(keptIds(hfChain(row, c, history)));
    }
  });

  it('penalised tokens never gain rank over unpenalised tokens of the same sign', () => {
    for (const row of rows) {
      const history = [0, 2, 4].filter((i) => i < row.length);
      const y = processChainCpu(f32(row), { ...GREEDY_CHAIN, repetitionPenalty: 1.7 }, history).y;
      for (const i of history) {
        for (let j = 0; j < row.length; j++) {
          if (history.includes(j) || !Number.isFinite(row[i]!) || !Number.isFinite(row[j]!)) continue;
          if (Math.sign(row[i]!) !== Math.sign(row[j]!)) continue;
          if (row[i]! <= row[j]!) expect(y[i]!).toBeLessThanOrEqual(y[j]!);
        }
      }
    }
  });

  it('the processed weights form a distribution over exactly the kept tokens', () => {
    for (const row of rows) {
      const k = processChainCpu(f32(row), sampling({ topP: 0.8, temperature: 0.7 }), []);
      expect(k.kept).toBe(keptIds(k.y).length);
      expect(k.mass).toBeGreaterThanOrEqual(2 ** 31);
      expect(Number.isInteger(k.mass)).toBe(true);
    }
  });
});
