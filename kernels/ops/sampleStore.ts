import { NonFiniteRowError } from '../errors';
import type { KeptRowSummary, LogitRowsLayout, RowReadoutRow } from '../types';
import type { LaneLayout } from './sampleLane';
import { bitsToF32, R } from './sampleParams';
import { u64 } from './sampleRowParse';
import { parseSoftmaxStats } from './softmaxStats';
import { parseTopK } from './rowSummary';

/**
 * Words of a drawn row read back at once: the sampler record's words 0..R.bad (id, raw logit,
 * weight, kept, mass, ymax, argmax, finite, bad). 40 bytes, whatever k is.
 */
export const DRAW_WORDS = R.bad + 1;

/** Where one drawn row's record (sampler record, raw stats, raw top-k) waits on the device. */
export interface StoredRecord {
  readonly buffer: GPUBuffer;
  /** Word offset of the row's record in `buffer`. */
  readonly base: number;
  readonly layout: LaneLayout;
  /** The raw row's layout (rows = 1), for parsing its statistics. */
  readonly rows: LogitRowsLayout;
}

/** What a draw reads back at once; the raw summary stays in `stored` until SampleRow.readStored. */
export interface SampleDrawResult {
  id: number;
  /** Integer weight of `id` (divide by kept.mass). */
  weight: number;
  kept: KeptRowSummary;
  /** Raw logit of `id`. */
  rawLogit: number;
  stored: StoredRecord;
  bytesRead: number;
}

/**
 * The record buffers of drawn rows (one per draw batch), kept until `dispose()` so that the raw
 * summaries of the rows finally needed can be read in one go.
 */
export class RecordStore {
  private buffers: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** A new record buffer of at least `bytes` bytes, owned by the store. */
  allocate(bytes: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    const buffer = this.device.createBuffer({ label: 'sampleRow.store', size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    this.buffers.push(buffer);
    return buffer;
  }

  /** Record buffers held. */
  get size(): number {
    return this.buffers.length;
  }

  /** Frees every record buffer; the store can be used again. */
  dispose(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers = [];
  }
}

/**
 * Parses one drawn row's DRAW_WORDS words; `index` is the row's position in its batch (named by
 * NonFiniteRowError). Throws for NaN / +inf / all -inf fused rows, like parseSampleRecord.
 */
export function parseDraw(w: Uint32Array, stored: StoredRecord, index: number): SampleDrawResult {
  const bad = w[R.bad]!;
  if (bad > 0) throw new NonFiniteRowError(index, 'nan-or-inf', `${bad} fused entries are NaN or +inf`);
  if (w[R.finite] === 0) throw new NonFiniteRowError(index, 'no-finite', 'every fused entry is -inf');
  return {
    id: w[R.id]!,
    weight: w[R.weight]!,
    kept: { ymax: bitsToF32(w[R.ymax]!), argmax: w[R.argmax]!, kept: w[R.kept]!, mass: u64(w, R.mass) },
    rawLogit: bitsToF32(w[R.raw]!),
    stored,
    bytesRead: DRAW_WORDS * 4,
  };
}

/** Words readStored copies per row: the raw logit word, then the raw stats and top-k records. */
export function storedRawWords(layout: LaneLayout): number {
  return 1 + layout.pStatsAt - layout.statsAt;
}

/** Encodes the copies of `stored`'s raw words (storedRawWords) into `dst` from word `at`. */
export function copyStoredRaw(encoder: GPUCommandEncoder, stored: StoredRecord, dst: GPUBuffer, at: number): void {
  const { base, layout } = stored;
  encoder.copyBufferToBuffer(stored.buffer, (base + R.raw) * 4, dst, at * 4, 4);
  encoder.copyBufferToBuffer(stored.buffer, (base + layout.statsAt) * 4, dst, (at + 1) * 4, (layout.pStatsAt - layout.statsAt) * 4);
}

/** The raw summary of a stored row from its storedRawWords words (as parseSampleRecord's `raw`); throws NonFiniteRowError for a raw row without finite entries. */
export function parseStoredRaw(w: Uint32Array, stored: StoredRecord): RowReadoutRow {
  const { layout } = stored;
  const stats = parseSoftmaxStats(w, 1, stored.rows)[0]!;
  const top = parseTopK(w, 1 + layout.topAt - layout.statsAt, 1, layout.k)[0]!;
  const rawLogit = bitsToF32(w[0]!);
  return { ...stats, ...top, tokenLogit: rawLogit, tokenProb: rawLogit === -Infinity ? 0 : Math.exp(rawLogit - stats.lse) };
}
