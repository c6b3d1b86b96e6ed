import { describe, expect, it } from 'vitest';
import { processRow, processRows, sampleResidual, type FusionHost, type ProcessedRow, type ProcessRowsItem } from '../../workers/decode/fusion';
import { Readout } from '../../workers/decode/readout';
import type { ChainParams } from '../../workers/processors/chain';
import { pickChainCpu, processChainCpu } from '../support/chain-reference';
import { Rng } from '../../workers/rng';
import { cpuLogits } from './cpuSequence';

// processRows (CPU path) against one processRow per row and against the independent CPU chain
// reference (tests/support/chain-reference.ts): ids, probabilities, kept counts, processed top-k.

const host = (): FusionHost => ({ gpu: null, readout: new Readout(null) });
const V = 24;
const CHAIN: ChainParams = { temperature: 0.9, topK: 12, topP: 0.9, minP: 0.01, repetitionPenalty: 1.4 };

/** `n` rows of V logits from a seed (a few -inf entries, some ties). */
function rowsFrom(seed: number, n: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: V }, () => {
      const u = rng.next();
      return u < 0.05 ? -Infinity : Math.round(rng.next() * 40) / 8 - 2.5;
    }),
  );
}

/** One item per row: its own history, a uniform or null, the probability of two token ids. */
function itemsFor(n: number, seed: number, chain = CHAIN): ProcessRowsItem[] {
  const rng = new Rng(seed + 100);
  return Array.from({ length: n }, (_, row) => ({
    row,
    opts: {
      chain,
      history: Array.from({ length: 1 + (row % 5) }, () => Math.floor(rng.next() * V)),
      uniform: row % 4 === 3 ? null : rng.next(),
      tokenIds: [row % V, (row * 7 + 3) % V],
      k: 1 + (row % 6),
      keep: row % 3 === 0,
    },
  }));
}

/** A ProcessedRow without its kept distribution object (compared through residual draws instead). */
function plain(r: ProcessedRow): Omit<ProcessedRow, 'distribution'> & { kept: number; hasDistribution: boolean } {
  const { distribution, ...rest } = r;
  return { ...rest, hasDistribution: distribution !== null };
}

describe('processRows (CPU path)', () => {
  it('equals one processRow per row: raw summary, id, probabilities, kept count, processed top-k', async () => {
    const rows = rowsFrom(3, 11);
    const items = itemsFor(11, 3);
    const batchHost = host();
    const batch = await processRows(batchHost, cpuLogits(rows), items);
    const singleHost = host();
    const single: ProcessedRow[] = [];
    for (const item of items) single.push(await processRow(singleHost, cpuLogits(rows), item.row, item.opts));
    expect(batch.map(plain)).toEqual(single.map(plain));
    expect(batchHost.readout.bytes).toBe(singleHost.readout.bytes);
    expect(batchHost.readout.bytes).toBe(11 * V * 4);
    // Kept distributions of the batch give the same residual draws as the single ones.
    const b0 = batch[0]!.distribution!;
    const b3 = batch[3]!.distribution!;
    const s0 = single[0]!.distribution!;
    const s3 = single[3]!.distribution!;
    for (const u of [0.1, 0.5, 0.93]) expect(await sampleResidual(batchHost, b0, b3, u)).toEqual(await sampleResidual(singleHost, s0, s3, u));
  });

  it('follows each row’s own history and uniform (the independent chain reference)', async () => {
    const rows = rowsFrom(8, 9);
    const items = itemsFor(9, 8);
    const batch = await processRows(host(), cpuLogits(rows), items);
    items.forEach((item, i) => {
      const z = Float32Array.from(rows[i]!);
      const { history, uniform } = item.opts;
      expect(batch[i]!.id).toBe(pickChainCpu(z, CHAIN, history, uniform));
      expect(batch[i]!.sampled).toBe(uniform !== null);
      const kept = processChainCpu(z, uniform === null ? { ...CHAIN, temperature: 0 } : CHAIN, history);
      expect(batch[i]!.kept).toBe(kept.kept);
    });
    // Same rows with swapped histories pick differently somewhere: the batch does not share one history.
    const swapped = items.map((item, i) => ({ ...item, opts: { ...item.opts, history: items[(i + 1) % items.length]!.opts.history } }));
    const other = await processRows(host(), cpuLogits(rows), swapped);
    expect(other.map((r) => r.processedProb)).not.toEqual(batch.map((r) => r.processedProb));
  });

  it('keeps every row in item order above 16 rows (20 rows, reversed)', async () => {
    const rows = rowsFrom(11, 20);
    const items = itemsFor(20, 11).reverse();
    const batch = await processRows(host(), cpuLogits(rows), items);
    expect(batch).toHaveLength(20);
    items.forEach((item, i) => expect(batch[i]!.id).toBe(pickChainCpu(Float32Array.from(rows[item.row]!), CHAIN, item.opts.history, item.opts.uniform)));
  });

  it('returns [] for no rows and names the offending row of a bad batch (nothing processed)', async () => {
    const h = host();
    expect(await processRows(h, cpuLogits(rowsFrom(1, 2)), [])).toEqual([]);
    const items = itemsFor(3, 1);
    items[2] = { row: 2, opts: { ...items[2]!.opts, uniform: 1 } };
    await expect(processRows(h, cpuLogits(rowsFrom(1, 3)), items)).rejects.toThrow(/processRows: rows\[2\]: uniform must be a number in \[0, 1\), got 1/);
    items[2] = { row: 5, opts: items[1]!.opts };
    await expect(processRows(h, cpuLogits(rowsFrom(1, 3)), items)).rejects.toThrow(/processRows: rows\[2\]: row must be an integer in \[0, 2\], got 5/);
    expect(h.readout.bytes).toBe(0);
  });
});
