import { describe, expect, it } from 'vitest';
import type { ProcessedAnnotations } from '../../protocol';
import { readRowsCpu } from '../../kernels/reference/rowReadout';
import { nextProcessed, processRow, sampleResidual, type FusionHost, type ProcessRowOptions } from '../../workers/decode/fusion';
import { Readout } from '../../workers/decode/readout';
import { GREEDY_CHAIN, parseChain } from '../../workers/processors/chain';
import { pickChainCpu, processChainCpu } from '../support/chain-reference';
import { Rng } from '../../workers/rng';
import { greedy } from '../../strategies/base/worker/greedy';
import { sample } from '../../strategies/base/worker/sample';
import type { DecodingStrategy } from '../../strategies/types';
import { CpuSequence, cpuLogits } from './cpuSequence';

const host = (): FusionHost => ({ gpu: null, readout: new Readout(null) });
const ROW = [1.5, 0.2, -0.7, 2.1, 2.1, -Infinity, 0.9, 0];
const base: ProcessRowOptions = { chain: GREEDY_CHAIN, history: [], uniform: null };

describe('processRow (CPU path)', () => {
  it('returns the raw summary, the processed choice and probabilities', async () => {
    const h = host();
    const r = await processRow(h, cpuLogits([ROW]), 0, { ...base, chain: { ...GREEDY_CHAIN, temperature: 0.7, topK: 4 }, uniform: 0.42, tokenIds: [3, 5, 2], k: 3 });
    const raw = readRowsCpu(Float32Array.from(ROW), { offsetElems: 0, rowStrideElems: 8, rowLength: 8, rows: 1, validVocab: 8 }, { k: 3 }).rows[0]!;
    // The WASM path runs readRowsFast: max and top-k exact, the exp sums within ~1e-11 of the reference.
    expect(r.raw).toMatchObject({ max: raw.max, topIds: [3, 4, 0] });
    expect(r.raw.lse).toBeCloseTo(raw.lse, 9);
    expect(r.raw.entropy).toBeCloseTo(raw.entropy, 9);
    expect(r.id).toBe(pickChainCpu(Float32Array.from(ROW), { ...GREEDY_CHAIN, temperature: 0.7, topK: 4 }, [], 0.42));
    expect(r.raw.tokenLogit).toBe(Math.fround(ROW[r.id]!));
    expect(r.sampled).toBe(true);
    expect(r.kept).toBe(4);
    expect(r.tokenProcessedProbs[1]).toBe(0);
    expect(r.tokenProcessedProbs[2]).toBe(0);
    const p = (z: number) => Math.exp(z / 0.7) / [1.5, 2.1, 2.1, 0.9].reduce((s, v) => s + Math.exp(v / 0.7), 0);
    expect(r.tokenProcessedProbs[0]).toBeCloseTo(p(2.1), 6);
    expect(r.processedProb).toBeCloseTo(p(ROW[r.id]!), 6);
    expect(r.processedLogprob).toBeCloseTo(Math.log(r.processedProb), 12);
    expect(r.processedTop.ids).toEqual([3, 4, 0]);
    expect(r.processedTop.logits[0]).toBeCloseTo(2.1 / 0.7, 5);
    expect(h.readout.bytes).toBe(8 * 4);
  });

  it('takes the argmax (no draw, no warpers) when uniform is null or the chain is greedy', async () => {
    for (const [chain, uniform] of [[{ ...GREEDY_CHAIN, temperature: 1, topK: 1 }, null], [{ ...GREEDY_CHAIN, temperature: 1e-6 }, 0.99]] as const) {
      const r = await processRow(host(), cpuLogits([ROW]), 0, { ...base, chain, uniform });
      expect(r).toMatchObject({ id: 3, sampled: false, kept: 7 });
    }
  });

  it('processes any row of a multi-position logits tensor (speculative verification)', async () => {
    const rows = [ROW, [0, 5, 1, 0, 0, 0, 0, 0]];
    expect((await processRow(host(), cpuLogits(rows), 1, base)).id).toBe(1);
  });

  it('applies the contrast and the sparse term (scale function of the raw summary)', async () => {
    const expert = cpuLogits([[2, 1.9, 0, -5]]);
    const amateur = cpuLogits([[3, 0, 0, 0]]);
    const contrast = { logits: amateur, row: 0, form: 'logit' as const, beta: 1, alpha: 0.5, amateurTemperature: 1 };
    expect((await processRow(host(), expert, 0, { ...base, contrast })).id).toBe(1);
    const sparse = { ids: [2], values: [1], scale: (raw: { max: number }) => raw.max + 0.5 };
    expect((await processRow(host(), expert, 0, { ...base, sparse })).id).toBe(2);
  });

  it('keeps distributions for the residual draw', async () => {
    const h = host();
    const p = await processRow(h, cpuLogits([[0, 1, 2]]), 0, { ...base, keep: true });
    const q = await processRow(h, cpuLogits([[0, 1, 2.5]]), 0, { ...base, keep: true });
    const r = await sampleResidual(h, p.distribution!, q.distribution!, 0.3);
    expect(r.fallback).toBe(false);
    expect([0, 1]).toContain(r.id);
    expect(r.residualMass).toBeGreaterThan(0);
    expect(r.residualMass).toBeLessThan(1);
    await expect(sampleResidual(h, p.distribution!, p.distribution!, 0.3)).rejects.toThrow(/same distribution/);
  });

  it.each([
    [{ row: 1 }, /row must be an integer in \[0, 0\], got 1/],
    [{ uniform: 1 }, /uniform must be a number in \[0, 1\), got 1/],
    [{ k: 65 }, /k must be an integer in \[1, 64\], got 65/],
    [{ tokenIds: Array(17).fill(0) }, /tokenIds must list at most 16 ids, got 17/],
    [{ tokenIds: [8] }, /tokenIds\[0\] must be an integer in \[0, 7\], got 8/],
    [{ chain: { ...GREEDY_CHAIN, topP: 0 } }, /topP must be a number in \(0, 1\], got 0/],
    [{ sparse: { ids: [1, 1], values: [1, 1], scale: 1 } }, /sparse.ids must be distinct/],
  ])('rejects bad options %j', async (o, message) => {
    const { row = 0, ...rest } = o as { row?: number } & Partial<ProcessRowOptions>;
    await expect(processRow(host(), cpuLogits([ROW]), row, { ...base, ...rest })).rejects.toThrow(message);
  });
});

/** Tokens a strategy emits on a CPU fake model whose logits depend on the last id. */
async function run(strategy: DecodingStrategy, params: Record<string, number>, n: number, seed = 5, rowFor = (ids: number[]) => ROW.map((z, i) => z + 0.3 * Math.sin(i * 7 + ids.length + ids[ids.length - 1]!))): Promise<number[]> {
  const seq = new CpuSequence([0, 1], rowFor);
  const r = strategy.start({ params, target: seq, draft: null, rng: new Rng(seed), topK: 10 });
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(...(await r.step()).tokens.map((t) => t.id));
  return out;
}

describe('sample and greedy strategies', () => {
  it('sample is reproducible for a seed, matches the CPU chain and varies across seeds', async () => {
    const a = await run(sample, { temperature: 1 }, 30, 5);
    expect(await run(sample, { temperature: 1 }, 30, 5)).toEqual(a);
    expect(await run(sample, { temperature: 1 }, 30, 6)).not.toEqual(a);
    const seq = [0, 1];
    const rng = new Rng(5);
    for (const id of a) {
      const row = ROW.map((z, i) => z + 0.3 * Math.sin(i * 7 + seq.length + seq[seq.length - 1]!));
      expect(id).toBe(pickChainCpu(Float32Array.from(row), parseChain({ temperature: 1 }), seq, rng.next()));
      seq.push(id);
    }
  });

  it('sample with temperature 1e-6 equals greedy', async () => {
    expect(await run(sample, { temperature: 1e-6 }, 20)).toEqual(await run(greedy, {}, 20));
  });

  it('greedy ignores the warpers but applies the repetition penalty (prompt included)', async () => {
    const plain = await run(greedy, {}, 10);
    expect(await run(greedy, { temperature: 1.5, topK: 2, topP: 0.3, minP: 0.5 }, 10)).toEqual(plain);
    const flat = () => [1.1, 1.2, 0.9, 0.8, 0, 0, 0, 0];
    expect(await run(greedy, {}, 3, 5, flat)).toEqual([1, 1, 1]);
    // θ = 2 halves every id already in the sequence, the prompt [0, 1] included.
    expect(await run(greedy, { repetitionPenalty: 2 }, 3, 5, flat)).toEqual([2, 3, 1]);
  });

  it('greedy applies the presence penalty once per distinct id (not per occurrence)', async () => {
    const flat = () => [1.1, 1.2, 0.9, 0.8, 0, 0, 0, 0];
    // α = 0.35 on the prompt [0, 1]: [0.75, 0.85, 0.9, 0.8] → 2; then 2 is seen too → 1; 1 stays at
    // 0.85 however often it repeats (a per-occurrence penalty would pick 3 next).
    expect(await run(greedy, { presencePenalty: 0.35 }, 3, 5, flat)).toEqual([2, 1, 1]);
    // A negative α favours what was already said.
    expect(await run(greedy, { presencePenalty: -0.5 }, 3, 5, flat)).toEqual([1, 1, 1]);
  });

  it('annotates processed probability, entropy and kept-set size', async () => {
    const seq = new CpuSequence([0], () => ROW);
    const step = await sample.start({ params: { temperature: 1, topK: 3 }, target: seq, draft: null, rng: new Rng(1), topK: 10 }).step();
    const t = step.tokens[0]!;
    expect(t.annotations.kind).toBe('processed');
    const kept = processChainCpu(Float32Array.from(ROW), { ...GREEDY_CHAIN, temperature: 1, topK: 3 }, [0]);
    expect(t.annotations).toMatchObject({ kept: kept.kept });
    expect((t.annotations as ProcessedAnnotations).processedProb).toBeGreaterThan(0);
    expect((t.annotations as ProcessedAnnotations).processedEntropy).toBeGreaterThan(0);
    expect(seq.ids).toEqual([0, t.id]);
  });

  it('nextProcessed feeds the pending ids once and processes the last row through the sequence itself', async () => {
    const seq = new CpuSequence([0, 2], () => ROW);
    const r = await nextProcessed(seq, base);
    expect(seq.feeds).toEqual([[0, 2]]);
    expect(r.id).toBe(3);
    expect(seq.readout.bytes).toBe(ROW.length * 4);
  });
});
