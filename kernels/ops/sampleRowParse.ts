import { NonFiniteRowError } from '../errors';
import { outputShift, planProcessors } from '../processors/plan';
import type { KeptRowSummary, RowReadoutRow } from '../types';
import type { KeptGpuRow } from './sample';
import type { LaneLayout, SampleRowRequest } from './sampleLane';
import { bitsToF32, R } from './sampleParams';
import { parseSoftmaxStats } from './softmaxStats';
import { parseTopK } from './rowSummary';

/** What one request reads back (a few hundred bytes). */
export interface SampleRowResult {
  id: number;
  /** Raw row statistics and top-k; tokenLogit / tokenProb are those of `id`. */
  raw: RowReadoutRow;
  /** Processed (kept) row statistics and top-k (logits include `offset`). */
  processed: RowReadoutRow;
  kept: KeptRowSummary;
  /** Integer weight of `id` and of each requested token (divide by kept.mass). */
  weight: number;
  tokenWeights: number[];
  /** Logprob-contrast display offset added to processed logits (0 otherwise). */
  offset: number;
  distribution: KeptGpuRow | null;
  /** Bytes of this row's part of the readback. */
  bytesRead: number;
}

/** The unsigned 64-bit integer in words `at`, `at + 1` (low first) of `w`, as a number. */
export function u64(w: Uint32Array, at: number): number {
  return (w[at] ?? 0) + (w[at + 1] ?? 0) * 4294967296;
}

/**
 * Parses one row's record (`w` holds exactly that row's `layout.words` words); `index` is the row's
 * position in its batch (named by NonFiniteRowError). Throws for NaN / +inf / all -inf fused rows.
 */
export function parseSampleRecord(w: Uint32Array, req: SampleRowRequest, layout: LaneLayout, kept: GPUBuffer | null, index: number): SampleRowResult {
  const n = req.expert.validVocab;
  const rawStats = parseSoftmaxStats(w, layout.statsAt, req.expert)[0]!;
  const bad = w[R.bad]!;
  if (bad > 0) throw new NonFiniteRowError(index, 'nan-or-inf', `${bad} fused entries are NaN or +inf`);
  if (w[R.finite] === 0) throw new NonFiniteRowError(index, 'no-finite', 'every fused entry is -inf');
  const yRows = { offsetElems: 0, rowStrideElems: n, rowLength: n, rows: 1, validVocab: n };
  const pStats = parseSoftmaxStats(w, layout.pStatsAt, yRows)[0]!;
  const rawTop = parseTopK(w, layout.topAt, 1, layout.k)[0]!;
  const pTop = parseTopK(w, layout.pTopAt, 1, layout.k)[0]!;
  const id = w[R.id]!;
  const rawLogit = bitsToF32(w[R.raw]!);
  const offset = req.fusion.contrast?.form === 'logprob' ? outputShift(planProcessors(req.fusion.processors), bitsToF32(w[R.lseA]!) - bitsToF32(w[R.lseE]!)) : 0;
  const summary: KeptRowSummary = { ymax: bitsToF32(w[R.ymax]!), argmax: w[R.argmax]!, kept: w[R.kept]!, mass: u64(w, R.mass) };
  return {
    id,
    raw: { ...rawStats, ...rawTop, tokenLogit: rawLogit, tokenProb: rawLogit === -Infinity ? 0 : Math.exp(rawLogit - rawStats.lse) },
    processed: { ...pStats, topIds: pTop.topIds, topLogits: pTop.topLogits.map((z) => z + offset) },
    kept: summary,
    weight: w[R.weight]!,
    tokenWeights: req.tokenIds.map((_, j) => w[R.tokens + j]!),
    offset,
    distribution: kept ? { buffer: kept, width: n, ymax: summary.ymax, mass: summary.mass } : null,
    bytesRead: w.byteLength,
  };
}
