import { STATS_RECORD_WORDS, topKRecordWords } from '../limits';
import type { FusionSpec, LogitRowsGpu, WarpSpec } from '../types';
import { GrowableBuffer } from './growableBuffer';
import type { KernelOptions } from './kernelOptions';
import { FUSION_PARTIAL_WORDS, LogitFusion } from './logitFusion';
import { Sample, samplePartialWords, type KeptGpuRow } from './sample';
import { chunkCount, SAMPLE_RECORD_WORDS, STATE_WORDS } from './sampleParams';
import { RowSummary } from './rowSummary';

/** Most token ids one row reports processed weights for. */
export const MAX_TOKEN_IDS = 16;

/** One processed-row request: the raw row(s), the fusion, the warpers and the draw. */
export interface SampleRowRequest {
  expert: LogitRowsGpu;
  amateur: LogitRowsGpu | null;
  fusion: FusionSpec;
  /** Warpers when sampling; null = argmax of the fused row. */
  warp: WarpSpec | null;
  /** Uniform in [0, 1), or null for argmax. */
  uniform: number | null;
  /** Top-k size of both summaries, in [1, MAX_K]. */
  k: number;
  /** Up to 16 ids whose processed weights are reported. */
  tokenIds: readonly number[];
  /** Keep the processed row in its own buffer (for residual draws); the caller destroys it. */
  keep: boolean;
}

/** Word offsets of one row's record (from the row's base in the batch record) and its length. */
export interface LaneLayout {
  statsAt: number;
  topAt: number;
  pStatsAt: number;
  pTopAt: number;
  /** Record words of the row: sampler record, raw stats + top-k[, processed stats + top-k]. */
  words: number;
  k: number;
  /** False: the processed summary (stats + top-k of the fused row) is neither computed nor stored. */
  processed: boolean;
}

/**
 * Record layout of a row summarised with top-k size `k`; without `processed` the record ends after
 * the raw top-k (a draw that needs only the id, its weight and the raw summary).
 */
export function laneLayout(k: number, processed = true): LaneLayout {
  const statsAt = SAMPLE_RECORD_WORDS;
  const topAt = statsAt + STATS_RECORD_WORDS;
  const pStatsAt = topAt + topKRecordWords(k);
  const pTopAt = pStatsAt + STATS_RECORD_WORDS;
  return { statsAt, topAt, pStatsAt, pTopAt, words: processed ? pTopAt + topKRecordWords(k) : pStatsAt, k, processed };
}

/**
 * The kernels and scratch of ONE row of a SampleRow batch: its own op instances (each owns its
 * uniforms, so each may be encoded once per submit), fused row, sampler state, partials and token
 * list. Rows of one batch use different lanes, so they share nothing writable but the record.
 */
export class SampleLane {
  readonly sampler: Sample;
  private readonly fusion: LogitFusion;
  private readonly raw: RowSummary;
  private readonly processed: RowSummary;
  private readonly y: GrowableBuffer;
  private readonly partials: GrowableBuffer;
  private readonly state: GPUBuffer;
  private readonly tokenIds: GPUBuffer;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions,
    /** Small STORAGE buffer filling unused bindings (shared, never written). */
    private readonly dummy: GPUBuffer,
    label: string,
  ) {
    this.fusion = new LogitFusion(device, options);
    this.sampler = new Sample(device, options);
    this.raw = new RowSummary(device, options);
    this.processed = new RowSummary(device, options);
    const S = GPUBufferUsage.STORAGE;
    this.y = new GrowableBuffer(device, `${label}.y`, S | GPUBufferUsage.COPY_SRC);
    this.partials = new GrowableBuffer(device, `${label}.partials`, S);
    this.state = device.createBuffer({ label: `${label}.state`, size: STATE_WORDS * 4, usage: S | GPUBufferUsage.COPY_DST });
    this.tokenIds = device.createBuffer({ label: `${label}.tokenIds`, size: MAX_TOKEN_IDS * 4, usage: S | GPUBufferUsage.COPY_DST });
  }

  /**
   * Records one row into `encoder` (its own compute pass): raw row summary (statistics + top-k),
   * logitFusion, the sampler, the processed row's summary (when `layout.processed`), writing `layout.words` words of `record` from word
   * `base`; copies the processed row into `kept` when given. Uniforms go through queue.writeBuffer.
   */
  encode(encoder: GPUCommandEncoder, req: SampleRowRequest, record: GPUBuffer, base: number, layout: LaneLayout, kept: GPUBuffer | null): void {
    const n = req.expert.validVocab;
    const wg = this.sampler.workgroupSize;
    const y = this.y.ensure(n * 4);
    const yRows: LogitRowsGpu = { buffer: y, dtype: 'f32', offsetElems: 0, rowStrideElems: n, rowLength: n, rows: 1, validVocab: n };
    const partials = this.partials.ensure(4 * Math.max(samplePartialWords(n, wg), chunkCount(n, wg) * FUSION_PARTIAL_WORDS));
    const ids = new Uint32Array(MAX_TOKEN_IDS);
    ids.set(req.tokenIds);
    this.device.queue.writeBuffer(this.tokenIds, 0, ids);
    const pass = encoder.beginComputePass({ label: 'sampleRow.pass' });
    this.raw.encode(pass, { src: req.expert, k: layout.k, out: record, statsOffsetWords: base + layout.statsAt, topOffsetWords: base + layout.topAt });
    this.fusion.encode(pass, { expert: req.expert, amateur: req.amateur, spec: req.fusion, y, state: this.state, partials });
    const buffers = { y, state: this.state, partials, record, recordOffset: base, dummy: this.dummy, tokenIds: this.tokenIds };
    this.sampler.encodeKeep(pass, { ...buffers, raw: req.expert, n, warp: req.warp, uniform: req.uniform, nTokens: req.tokenIds.length });
    if (layout.processed)
      this.processed.encode(pass, { src: yRows, k: layout.k, out: record, statsOffsetWords: base + layout.pStatsAt, topOffsetWords: base + layout.pTopAt });
    pass.end();
    if (kept) encoder.copyBufferToBuffer(y, 0, kept, 0, n * 4);
  }

  /** Records the residual draw of norm(max(0, p − q)) into `encoder`, its record at word 0. */
  encodeResidual(encoder: GPUCommandEncoder, p: KeptGpuRow, q: KeptGpuRow, uniform: number, record: GPUBuffer): void {
    const n = Math.max(p.width, q.width);
    const partials = this.partials.ensure(4 * chunkCount(n, this.sampler.workgroupSize) * 4);
    const pass = encoder.beginComputePass({ label: 'sampleRow.residualPass' });
    this.sampler.encodeResidual(pass, { p, q, uniform, state: this.state, partials, record, recordOffset: 0, dummy: this.dummy, tokenIds: this.tokenIds });
    pass.end();
  }

  /** Frees the lane's uniforms and scratch (pipelines stay cached on the device). */
  dispose(): void {
    for (const op of [this.fusion, this.sampler, this.raw, this.processed]) op.dispose();
    this.y.dispose();
    this.partials.dispose();
    this.state.destroy();
    this.tokenIds.destroy();
  }
}
