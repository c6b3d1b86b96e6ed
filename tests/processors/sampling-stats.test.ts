import { describe, expect, it } from 'vitest';
import { keepCpu, residualCpu, type KeptRow } from '../../kernels/reference/sample';
import { GREEDY_CHAIN, type ChainParams } from '../../workers/processors/chain';
import { pickChainCpu, processChainCpu } from '../support/chain-reference';
import { Rng } from '../../workers/rng';
import { chiSquare, chiSquareCritical001, hfChain, keptIds, softmax } from './hf';

const DRAWS = 100_000;

/** Counts of `draw()` over `n` ids. */
function histogram(n: number, draw: () => number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < DRAWS; i++) counts[draw()]!++;
  return counts;
}

/** Chi-square of counts vs probs over the cells with p > 0 (a draw in a p = 0 cell fails outright). */
function expectFits(counts: number[], probs: number[]): void {
  const support = probs.filter((p) => p > 0).length;
  const stat = chiSquare(counts, probs);
  expect(stat).toBeLessThan(support > 1 ? chiSquareCritical001(support - 1) : 1e-9);
}

describe('chain + inverse-CDF sampler, chi-square at α = 0.001 over 1e5 draws', () => {
  const cases: { name: string; row: number[]; chain: ChainParams; history: number[]; seed: number }[] = [
    { name: 'T = 1, no warpers', row: [2, 1.5, 0.3, -1, 0, 1, -0.5, 0.7, -2, 1.2], chain: { ...GREEDY_CHAIN, temperature: 1 }, history: [], seed: 1 },
    { name: 'full chain', row: [2, 1.5, 0.3, -1, 0, 1], chain: { temperature: 0.8, topK: 5, topP: 0.95, minP: 0.02, repetitionPenalty: 1.3 }, history: [1, 5], seed: 2 },
    { name: 'hot, top-p with -inf entries', row: [0.1, -Infinity, 0.4, 0.2, -Infinity, 0.3, -0.2], chain: { temperature: 2, topK: 0, topP: 0.7, minP: 0, repetitionPenalty: 1 }, history: [], seed: 3 },
    { name: 'ties', row: [1, 1, 1, 0, 0, -1], chain: { ...GREEDY_CHAIN, temperature: 1, minP: 0.1 }, history: [], seed: 4 },
    { name: 'typical-p after min-p', row: [3, 2.2, 1.9, 1.5, 1.1, 0.8, 0.2, -0.4, -1.5, -6], chain: { ...GREEDY_CHAIN, temperature: 0.9, minP: 0.01, typicalP: 0.6 }, history: [], seed: 5 },
    { name: 'epsilon after top-k', row: [2.5, 2, 1.6, 1.1, 0.4, 0, -0.7, -1.2, -2, -3], chain: { ...GREEDY_CHAIN, temperature: 1, topK: 8, epsilonCutoff: 0.03 }, history: [], seed: 6 },
    { name: 'eta', row: [1.2, 1, 0.9, 0.5, 0.1, -0.3, -0.8, -1.6, -2.5, -4], chain: { ...GREEDY_CHAIN, temperature: 1.1, etaCutoff: 0.05 }, history: [], seed: 7 },
    { name: 'typical-p → epsilon → eta', row: [3, 2.2, 1.9, 1.5, 1.1, 0.8, 0.2, -0.4, -1.5, -6], chain: { ...GREEDY_CHAIN, temperature: 1, typicalP: 0.98, epsilonCutoff: 0.01, etaCutoff: 0.02 }, history: [], seed: 8 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const expected = softmax(hfChain(c.row, c.chain, c.history));
      expect(keptIds(processChainCpu(Float32Array.from(c.row), c.chain, c.history).y)).toEqual(expected.flatMap((p, i) => (p > 0 ? [i] : [])));
      const rng = new Rng(c.seed);
      const row = Float32Array.from(c.row);
      const kept = processChainCpu(row, c.chain, c.history);
      expect(kept.kept).toBeGreaterThan(1);
      expectFits(histogram(c.row.length, () => pickChainCpu(row, c.chain, c.history, rng.next())), expected);
    });
  }

  it('detects a biased sampler (the test can fail)', () => {
    const row = [1, 0, -1];
    const rng = new Rng(9);
    const counts = histogram(3, () => pickChainCpu(Float32Array.from(row), { ...GREEDY_CHAIN, temperature: 1.1 }, [], rng.next()));
    expect(chiSquare(counts, softmax(row))).toBeGreaterThan(chiSquareCritical001(2));
  });
});

function keptRow(z: number[]): KeptRow {
  return keepCpu(Float32Array.from(z), null);
}

/** norm(max(0, p − q)) in float64 (p when the residual is 0). */
function residualProbs(zp: number[], zq: number[]): number[] {
  const p = softmax(zp);
  const q = softmax(zq);
  const r = p.map((pi, i) => Math.max(0, pi - (q[i] ?? 0)));
  const s = r.reduce((a, b) => a + b, 0);
  return s === 0 ? p : r.map((x) => x / s);
}

describe('residual sampler norm(max(0, p − q)), chi-square at α = 0.001 over 1e5 draws', () => {
  const cases: { name: string; p: number[]; q: number[]; seed: number }[] = [
    { name: 'overlapping supports', p: [1, 0.5, 0, -1, 0.8, 0.2], q: [0.2, 0.9, 0.1, -0.5, 1.5, -1], seed: 21 },
    { name: 'disjoint supports', p: [0.3, 0.1, -Infinity, -Infinity, 0.2], q: [-Infinity, -Infinity, 1, 0, -Infinity], seed: 22 },
    { name: 'q wider than p', p: [0, 1, 2], q: [2, 1, 0, 0.5, 0.5], seed: 23 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = keptRow(c.p);
      const q = keptRow(c.q);
      const rng = new Rng(c.seed);
      const n = Math.max(c.p.length, c.q.length);
      const pad = (z: number[]) => [...z, ...new Array<number>(n - z.length).fill(-Infinity)];
      const counts = histogram(n, () => residualCpu(p, q, rng.next()).id);
      expectFits(counts, residualProbs(pad(c.p), pad(c.q)));
      expect(residualCpu(p, q, 0.5).fallback).toBe(false);
    });
  }

  it('falls back to p when p == q (zero residual mass)', () => {
    const z = [0.5, -0.2, 1, 0];
    const p = keptRow(z);
    const q = keptRow(z);
    const rng = new Rng(31);
    expect(residualCpu(p, q, 0.3)).toMatchObject({ fallback: true, residualWeight: 0 });
    expectFits(histogram(4, () => residualCpu(p, q, rng.next()).id), softmax(z));
  });
});
