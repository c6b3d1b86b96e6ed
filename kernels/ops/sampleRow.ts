import { STATS_RECORD_WORDS, topKRecordWords } from '../limits';
import { NonFiniteRowError } from '../errors';
import type { FusionSpec, KeptRowSummary, LogitRowsGpu, RowReadoutRow, WarpSpec } from '../types';
import { validateK } from '../validate';
import { GrowableBuffer } from './growableBuffer';
import type { KernelOptions } from './kernelOptions';
import { FUSION_PARTIAL_WORDS, LogitFusion } from './logitFusion';
import { Sample, samplePartialWords, type KeptGpuRow } from './sample';
import { bitsToF32, chunkCount, R, SAMPLE_RECORD_WORDS, STATE_WORDS } from './sampleParams';
import { parseSoftmaxStats, SoftmaxStats } from './softmaxStats';
import { parseTopK, TopK } from './topK';

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
  bytesRead: number;
}

/** What a residual draw reads back. */
export interface ResidualResult {
  id: number;
  weight: number;
  total: number;
  residualWeight: number;
  fallback: boolean;
  bytesRead: number;
}

const MAX_TOKEN_IDS = 16;

/**
 * One command encoder per request on ORT's device: raw softmaxStats + topK, logitFusion, the
 * sampler, processed softmaxStats + topK; one small packed record copied to a MAP_READ buffer.
 * The row never crosses to the CPU. Calls are serialised.
 */
export class SampleRow {
  private readonly fusion: LogitFusion;
  private readonly sampler: Sample;
  private readonly rawStats: SoftmaxStats;
  private readonly rawTop: TopK;
  private readonly procStats: SoftmaxStats;
  private readonly procTop: TopK;
  private readonly bufs: Record<'y' | 'partials' | 'record' | 'staging', GrowableBuffer>;
  private readonly state: GPUBuffer;
  private readonly dummy: GPUBuffer;
  private readonly tokenIds: GPUBuffer;
  private readonly workgroupSize: number;
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.fusion = new LogitFusion(device, options);
    this.sampler = new Sample(device, options);
    this.workgroupSize = this.sampler.workgroupSize;
    this.rawStats = new SoftmaxStats(device, options);
    this.rawTop = new TopK(device, options);
    this.procStats = new SoftmaxStats(device, options);
    this.procTop = new TopK(device, options);
    const S = GPUBufferUsage.STORAGE;
    this.bufs = {
      y: new GrowableBuffer(device, 'sampleRow.y', S | GPUBufferUsage.COPY_SRC),
      partials: new GrowableBuffer(device, 'sampleRow.partials', S),
      record: new GrowableBuffer(device, 'sampleRow.record', S | GPUBufferUsage.COPY_SRC),
      staging: new GrowableBuffer(device, 'sampleRow.staging', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST),
    };
    this.state = device.createBuffer({ label: 'sampleRow.state', size: STATE_WORDS * 4, usage: S | GPUBufferUsage.COPY_DST });
    this.dummy = device.createBuffer({ label: 'sampleRow.dummy', size: 16, usage: S });
    this.tokenIds = device.createBuffer({ label: 'sampleRow.tokenIds', size: MAX_TOKEN_IDS * 4, usage: S | GPUBufferUsage.COPY_DST });
  }

  /** Process, pick and summarise one row. Rejects with KernelArgumentError / NonFiniteRowError / a device error. */
  read(req: SampleRowRequest): Promise<SampleRowResult> {
    return this.serialise(() => this.readNow(req));
  }

  /** Draw from norm(max(0, p − q)) with one uniform (p when the residual mass is 0). */
  residual(p: KeptGpuRow, q: KeptGpuRow, uniform: number): Promise<ResidualResult> {
    return this.serialise(() => this.residualNow(p, q, uniform));
  }

  /** Frees every buffer this instance owns (kept rows handed out stay with their owners). */
  dispose(): void {
    this.disposed = true;
    for (const op of [this.fusion, this.sampler, this.rawStats, this.rawTop, this.procStats, this.procTop]) op.dispose();
    for (const b of Object.values(this.bufs)) b.dispose();
    this.state.destroy();
    this.dummy.destroy();
    this.tokenIds.destroy();
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => {
      if (this.disposed) throw new Error('SampleRow used after dispose()');
      return work();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async readNow(req: SampleRowRequest): Promise<SampleRowResult> {
    const k = validateK(req.k);
    if (req.tokenIds.length > MAX_TOKEN_IDS) throw new Error(`tokenIds: at most ${MAX_TOKEN_IDS}, got ${req.tokenIds.length}`);
    const n = req.expert.validVocab;
    const statsAt = SAMPLE_RECORD_WORDS;
    const topAt = statsAt + STATS_RECORD_WORDS;
    const pStatsAt = topAt + topKRecordWords(k);
    const pTopAt = pStatsAt + STATS_RECORD_WORDS;
    const words = pTopAt + topKRecordWords(k);
    const y = this.bufs.y.ensure(n * 4);
    const yRows: LogitRowsGpu = { buffer: y, dtype: 'f32', offsetElems: 0, rowStrideElems: n, rowLength: n, rows: 1, validVocab: n };
    const partials = this.bufs.partials.ensure(4 * Math.max(samplePartialWords(n, this.workgroupSize), chunkCount(n, this.workgroupSize) * FUSION_PARTIAL_WORDS));
    const record = this.bufs.record.ensure(words * 4);
    this.device.queue.writeBuffer(this.tokenIds, 0, new Uint32Array([...req.tokenIds, ...new Array<number>(MAX_TOKEN_IDS - req.tokenIds.length).fill(0)]));
    const kept = req.keep ? this.device.createBuffer({ label: 'sampleRow.kept', size: Math.max(16, n * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC }) : null;
    const out = await this.submit(words, (encoder) => {
      const pass = encoder.beginComputePass({ label: 'sampleRow.pass' });
      this.rawStats.encode(pass, { src: req.expert, out: record, outOffsetWords: statsAt });
      this.rawTop.encode(pass, { src: req.expert, k, out: record, outOffsetWords: topAt });
      this.fusion.encode(pass, { expert: req.expert, amateur: req.amateur, spec: req.fusion, y, state: this.state, partials });
      const buffers = { y, state: this.state, partials, record, recordOffset: 0, dummy: this.dummy, tokenIds: this.tokenIds };
      this.sampler.encodeKeep(pass, { ...buffers, raw: req.expert, n, warp: req.warp, uniform: req.uniform, nTokens: req.tokenIds.length });
      this.procStats.encode(pass, { src: yRows, out: record, outOffsetWords: pStatsAt });
      this.procTop.encode(pass, { src: yRows, k, out: record, outOffsetWords: pTopAt });
      pass.end();
      if (kept) encoder.copyBufferToBuffer(y, 0, kept, 0, n * 4);
    }).catch((e: unknown) => {
      kept?.destroy();
      throw e;
    });
    try {
      return parseResult(out, req, { statsAt, topAt, pStatsAt, pTopAt, k, n }, kept);
    } catch (e) {
      kept?.destroy();
      throw e;
    }
  }

  private async residualNow(p: KeptGpuRow, q: KeptGpuRow, uniform: number): Promise<ResidualResult> {
    const n = Math.max(p.width, q.width);
    const partials = this.bufs.partials.ensure(4 * chunkCount(n, this.workgroupSize) * 4);
    const record = this.bufs.record.ensure(SAMPLE_RECORD_WORDS * 4);
    const w = await this.submit(SAMPLE_RECORD_WORDS, (encoder) => {
      const pass = encoder.beginComputePass({ label: 'sampleRow.residualPass' });
      this.sampler.encodeResidual(pass, { p, q, uniform, state: this.state, partials, record, recordOffset: 0, dummy: this.dummy, tokenIds: this.tokenIds });
      pass.end();
    });
    return {
      id: w[R.id]!,
      weight: w[R.weight]!,
      total: u64(w, R.mass),
      residualWeight: u64(w, R.rmass),
      fallback: w[R.fallback] !== 0,
      bytesRead: SAMPLE_RECORD_WORDS * 4,
    };
  }

  /** Encode, copy `words` record words to staging, submit, map; WebGPU errors become Errors. */
  private async submit(words: number, encode: (encoder: GPUCommandEncoder) => void): Promise<Uint32Array> {
    const bytes = words * 4;
    const record = this.bufs.record.ensure(bytes);
    const staging = this.bufs.staging.ensure(bytes);
    this.device.pushErrorScope('validation');
    let scope: Promise<GPUError | null>;
    try {
      const encoder = this.device.createCommandEncoder({ label: 'sampleRow.encoder' });
      encode(encoder);
      encoder.copyBufferToBuffer(record, 0, staging, 0, bytes);
      this.device.queue.submit([encoder.finish({ label: 'sampleRow.commands' })]);
    } finally {
      scope = this.device.popErrorScope();
    }
    const mapped = staging.mapAsync(GPUMapMode.READ, 0, bytes).then(
      () => null,
      (e: unknown) => e,
    );
    const [gpuError, mapError] = await Promise.all([scope, mapped]);
    if (gpuError || mapError) {
      if (!mapError) staging.unmap();
      throw new Error(`SampleRow: WebGPU rejected the work: ${gpuError ? gpuError.message : String(mapError)}`);
    }
    const out = new Uint32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    return out;
  }
}

function u64(w: Uint32Array, at: number): number {
  return (w[at] ?? 0) + (w[at + 1] ?? 0) * 4294967296;
}

interface Offsets {
  statsAt: number;
  topAt: number;
  pStatsAt: number;
  pTopAt: number;
  k: number;
  n: number;
}

function parseResult(w: Uint32Array, req: SampleRowRequest, o: Offsets, kept: GPUBuffer | null): SampleRowResult {
  const rawStats = parseSoftmaxStats(w, o.statsAt, req.expert)[0]!;
  const bad = w[R.bad]!;
  if (bad > 0) throw new NonFiniteRowError(0, 'nan-or-inf', `${bad} fused entries are NaN or +inf`);
  if (w[R.finite] === 0) throw new NonFiniteRowError(0, 'no-finite', 'every fused entry is -inf');
  const yRows = { offsetElems: 0, rowStrideElems: o.n, rowLength: o.n, rows: 1, validVocab: o.n };
  const pStats = parseSoftmaxStats(w, o.pStatsAt, yRows)[0]!;
  const rawTop = parseTopK(w, o.topAt, 1, o.k)[0]!;
  const pTop = parseTopK(w, o.pTopAt, 1, o.k)[0]!;
  const id = w[R.id]!;
  const rawLogit = bitsToF32(w[R.raw]!);
  const offset = req.fusion.contrast?.form === 'logprob' ? (bitsToF32(w[R.lseA]!) - bitsToF32(w[R.lseE]!)) * Math.fround(1 / (req.fusion.temperature ?? 1)) : 0;
  const summary: KeptRowSummary = { ymax: bitsToF32(w[R.ymax]!), argmax: w[R.argmax]!, kept: w[R.kept]!, mass: u64(w, R.mass) };
  return {
    id,
    raw: { ...rawStats, ...rawTop, tokenLogit: rawLogit, tokenProb: rawLogit === -Infinity ? 0 : Math.exp(rawLogit - rawStats.lse) },
    processed: { ...pStats, topIds: pTop.topIds, topLogits: pTop.topLogits.map((z) => z + offset) },
    kept: summary,
    weight: w[R.weight]!,
    tokenWeights: req.tokenIds.map((_, j) => w[R.tokens + j]!),
    offset,
    distribution: kept ? { buffer: kept, width: o.n, ymax: summary.ymax, mass: summary.mass } : null,
    bytesRead: w.byteLength,
  };
}
