import { describe, expect, it } from 'vitest';
import { drawRows, DrawStore, processRows, readDrawnRaw, type FusionHost, type ProcessRowsItem } from '../../workers/decode/fusion';
import { Readout } from '../../workers/decode/readout';
import type { ChainParams } from '../../workers/processors/chain';
import { Rng } from '../../workers/rng';
import { cpuLogits } from '../processors/cpuSequence';

// drawRows / readDrawnRaw (CNTP's trial draws) on the CPU path: the same draws as processRows row by
// row, the raw summaries handed back in order, extra commands run once before the work. The WebGPU
// path (40 bytes per row, summaries left on the device) is checked against processRows in
// e2e/fusion.spec.ts (harness/fusion-batch.ts).

const host = (): FusionHost => ({ gpu: null, readout: new Readout(null) });
const V = 20;
const CHAIN: ChainParams = { temperature: 0.8, topK: 0, topP: 0.9, minP: 0, repetitionPenalty: 1.2 };

function rowsFrom(seed: number, n: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: V }, () => Math.round(rng.next() * 40) / 8 - 2.5));
}

function itemsFor(n: number, seed: number): ProcessRowsItem[] {
  const rng = new Rng(seed + 7);
  return Array.from({ length: n }, (_, row) => ({
    row,
    opts: { chain: CHAIN, history: [row % V, (row * 3) % V], uniform: row % 5 === 4 ? null : rng.next(), k: 1 + (row % 4) },
  }));
}

describe('drawRows (CPU path)', () => {
  it('draws what processRows picks, row by row, and reads the raw summaries back in order', async () => {
    const rows = rowsFrom(5, 19);
    const items = itemsFor(19, 5);
    const expected = await processRows(host(), cpuLogits(rows), items);
    const h = host();
    const store = new DrawStore(h);
    const calls: (GPUCommandEncoder | null)[] = [];
    const draws = await drawRows(h, cpuLogits(rows), items, store, (e) => calls.push(e));
    expect(calls).toEqual([null]);
    expect(draws.map((d) => [d.id, d.sampled, d.processedProb, d.processedLogprob])).toEqual(expected.map((r) => [r.id, r.sampled, r.processedProb, r.processedLogprob]));
    const order = [3, 0, 18, 7];
    const raw = await readDrawnRaw(h, order.map((i) => draws[i]!), (e) => calls.push(e));
    expect(raw).toEqual(order.map((i) => expected[i]!.raw));
    expect(calls).toEqual([null, null]);
    store.dispose();
  });

  it('refuses keep and token ids (a draw reads back neither)', async () => {
    const h = host();
    const store = new DrawStore(h);
    const logits = cpuLogits(rowsFrom(1, 2));
    await expect(drawRows(h, logits, [{ row: 0, opts: { chain: CHAIN, history: [], uniform: 0.5, keep: true } }], store)).rejects.toThrow(/rows\[0\]: keep/);
    await expect(drawRows(h, logits, [{ row: 1, opts: { chain: CHAIN, history: [], uniform: 0.5, tokenIds: [1] } }], store)).rejects.toThrow(/rows\[0\]: tokenIds/);
  });
});
