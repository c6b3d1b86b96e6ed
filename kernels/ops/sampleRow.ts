import { KernelArgumentError } from '../errors';
import { validateK } from '../validate';
import { GrowableBuffer } from './growableBuffer';
import type { KernelOptions } from './kernelOptions';
import type { KeptGpuRow } from './sample';
import { laneLayout, MAX_TOKEN_IDS, SampleLane, type LaneLayout, type SampleRowRequest } from './sampleLane';
import { R, SAMPLE_RECORD_WORDS } from './sampleParams';
import { parseSampleRecord, u64, type SampleRowResult } from './sampleRowParse';

export type { SampleRowRequest } from './sampleLane';
export type { SampleRowResult } from './sampleRowParse';

/** Most rows one readMany call processes in one submit (one lane of scratch buffers per row). */
export const MAX_BATCH_ROWS = 16;

/** What a residual draw reads back. */
export interface ResidualResult {
  id: number;
  weight: number;
  total: number;
  residualWeight: number;
  fallback: boolean;
  bytesRead: number;
}

/**
 * Processed rows on ORT's device: per row raw softmaxStats + topK, logitFusion, the sampler,
 * processed softmaxStats + topK into one packed record; a batch of up to MAX_BATCH_ROWS rows is ONE
 * command encoder, ONE submit and ONE small readback (rows use separate lanes of scratch, so each
 * row's result is bit-identical to reading it alone). The rows never cross to the CPU. Calls are
 * serialised.
 */
export class SampleRow {
  private readonly lanes: SampleLane[] = [];
  private readonly bufs: Record<'record' | 'staging', GrowableBuffer>;
  private readonly dummy: GPUBuffer;
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly options: KernelOptions = {},
  ) {
    this.bufs = {
      record: new GrowableBuffer(device, 'sampleRow.record', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC),
      staging: new GrowableBuffer(device, 'sampleRow.staging', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST),
    };
    this.dummy = device.createBuffer({ label: 'sampleRow.dummy', size: 16, usage: GPUBufferUsage.STORAGE });
    this.lane(0);
  }

  /** Process, pick and summarise one row. Rejects with KernelArgumentError / NonFiniteRowError / a device error. */
  async read(req: SampleRowRequest): Promise<SampleRowResult> {
    return (await this.readMany([req]))[0]!;
  }

  /**
   * Process 1..MAX_BATCH_ROWS rows (each with its own fusion, warpers, uniform, token ids, keep) in
   * one submit; results in request order. On any error every kept buffer of the batch is destroyed.
   */
  readMany(reqs: readonly SampleRowRequest[]): Promise<SampleRowResult[]> {
    return this.serialise(() => this.readManyNow(reqs));
  }

  /** Draw from norm(max(0, p − q)) with one uniform (p when the residual mass is 0). */
  residual(p: KeptGpuRow, q: KeptGpuRow, uniform: number): Promise<ResidualResult> {
    return this.serialise(() => this.residualNow(p, q, uniform));
  }

  /** Frees every buffer this instance owns (kept rows handed out stay with their owners). */
  dispose(): void {
    this.disposed = true;
    for (const lane of this.lanes) lane.dispose();
    for (const b of Object.values(this.bufs)) b.dispose();
    this.dummy.destroy();
  }

  private lane(i: number): SampleLane {
    let lane = this.lanes[i];
    if (!lane) {
      lane = new SampleLane(this.device, this.options, this.dummy, `sampleRow.lane${i}`);
      this.lanes[i] = lane;
    }
    return lane;
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => {
      if (this.disposed) throw new Error('SampleRow used after dispose()');
      return work();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private layouts(reqs: readonly SampleRowRequest[]): LaneLayout[] {
    if (reqs.length < 1 || reqs.length > MAX_BATCH_ROWS) throw new KernelArgumentError('requests.length', reqs.length, `an integer in [1, ${MAX_BATCH_ROWS}]`);
    return reqs.map((req, i) => {
      if (req.tokenIds.length > MAX_TOKEN_IDS) throw new KernelArgumentError(`requests[${i}].tokenIds.length`, req.tokenIds.length, `at most ${MAX_TOKEN_IDS}`);
      return laneLayout(validateK(req.k));
    });
  }

  private async readManyNow(reqs: readonly SampleRowRequest[]): Promise<SampleRowResult[]> {
    const layouts = this.layouts(reqs);
    const bases: number[] = [];
    let words = 0;
    for (const l of layouts) {
      bases.push(words);
      words += l.words;
    }
    const kept = reqs.map((req) => (req.keep ? this.device.createBuffer({ label: 'sampleRow.kept', size: Math.max(16, req.expert.validVocab * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC }) : null));
    try {
      const out = await this.submit(words, (encoder, record) => {
        reqs.forEach((req, i) => this.lane(i).encode(encoder, req, record, bases[i]!, layouts[i]!, kept[i] ?? null));
      });
      return reqs.map((req, i) => parseSampleRecord(out.subarray(bases[i]!, bases[i]! + layouts[i]!.words), req, layouts[i]!, kept[i] ?? null, i));
    } catch (e) {
      for (const b of kept) b?.destroy();
      throw e;
    }
  }

  private async residualNow(p: KeptGpuRow, q: KeptGpuRow, uniform: number): Promise<ResidualResult> {
    const w = await this.submit(SAMPLE_RECORD_WORDS, (encoder, record) => this.lane(0).encodeResidual(encoder, p, q, uniform, record));
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
  private async submit(words: number, encode: (encoder: GPUCommandEncoder, record: GPUBuffer) => void): Promise<Uint32Array> {
    const bytes = words * 4;
    const record = this.bufs.record.ensure(bytes);
    const staging = this.bufs.staging.ensure(bytes);
    this.device.pushErrorScope('validation');
    let scope: Promise<GPUError | null>;
    try {
      const encoder = this.device.createCommandEncoder({ label: 'sampleRow.encoder' });
      encode(encoder, record);
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
