import { KernelArgumentError } from '../errors';
import { validateK } from '../validate';
import { GrowableBuffer } from './growableBuffer';
import type { KernelOptions } from './kernelOptions';
import type { KeptGpuRow } from './sample';
import { laneLayout, MAX_TOKEN_IDS, SampleLane, type LaneLayout, type SampleRowRequest } from './sampleLane';
import { R, SAMPLE_RECORD_WORDS } from './sampleParams';
import { parseSampleRecord, u64, type SampleRowResult } from './sampleRowParse';
import { copyStoredRaw, DRAW_WORDS, parseDraw, parseStoredRaw, storedRawWords, type RecordStore, type SampleDrawResult, type StoredRecord } from './sampleStore';
import type { LogitRowsLayout, RowReadoutRow } from '../types';

export type { SampleRowRequest } from './sampleLane';
export type { SampleRowResult } from './sampleRowParse';
export { RecordStore, type SampleDrawResult, type StoredRecord } from './sampleStore';

/** The raw row's layout (no buffer: a stored record must not keep the logits alive). */
function rawLayout(req: SampleRowRequest): LogitRowsLayout {
  const e = req.expert;
  return { offsetElems: e.offsetElems, rowStrideElems: e.rowStrideElems, rowLength: e.rowLength, rows: 1, validVocab: e.validVocab };
}

/** Extra commands recorded into the same encoder (and submit) as a SampleRow call. */
export type ExtraEncode = (encoder: GPUCommandEncoder) => void;

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

  /**
   * Draw 1..MAX_BATCH_ROWS rows in one submit, reading back only DRAW_WORDS words per row (id,
   * weight, kept mass, flags); each row's raw summary stays in a buffer of `store` until
   * readStored. The processed summary is not computed; `keep` and `tokenIds` must be unset. Ids and
   * weights are bit-identical to readMany's. `extra` is recorded into the same command encoder, after
   * the rows.
   */
  drawMany(reqs: readonly SampleRowRequest[], store: RecordStore, extra?: ExtraEncode): Promise<SampleDrawResult[]> {
    return this.serialise(() => this.drawManyNow(reqs, store, extra));
  }

  /**
   * The raw summaries of stored draws (any number, from any batches of `store` not yet disposed) in
   * one submit and one readback of storedRawWords words each; `extra` is recorded into the same
   * encoder before the copies (with no rows it is submitted alone).
   */
  readStored(rows: readonly StoredRecord[], extra?: ExtraEncode): Promise<{ rows: RowReadoutRow[]; bytesRead: number }> {
    return this.serialise(() => this.readStoredNow(rows, extra));
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

  private layouts(reqs: readonly SampleRowRequest[], processed = true): LaneLayout[] {
    if (reqs.length < 1 || reqs.length > MAX_BATCH_ROWS) throw new KernelArgumentError('requests.length', reqs.length, `an integer in [1, ${MAX_BATCH_ROWS}]`);
    return reqs.map((req, i) => {
      if (req.tokenIds.length > MAX_TOKEN_IDS) throw new KernelArgumentError(`requests[${i}].tokenIds.length`, req.tokenIds.length, `at most ${MAX_TOKEN_IDS}`);
      return laneLayout(validateK(req.k), processed);
    });
  }

  private async drawManyNow(reqs: readonly SampleRowRequest[], store: RecordStore, extra?: ExtraEncode): Promise<SampleDrawResult[]> {
    reqs.forEach((req, i) => {
      if (req.keep) throw new KernelArgumentError(`requests[${i}].keep`, req.keep, 'false for a draw');
      if (req.tokenIds.length > 0) throw new KernelArgumentError(`requests[${i}].tokenIds.length`, req.tokenIds.length, '0 for a draw');
    });
    const layouts = this.layouts(reqs, false);
    const bases: number[] = [];
    let words = 0;
    for (const l of layouts) {
      bases.push(words);
      words += l.words;
    }
    const record = store.allocate(words * 4);
    const stored: StoredRecord[] = reqs.map((req, i) => ({ buffer: record, base: bases[i]!, layout: layouts[i]!, rows: rawLayout(req) }));
    const out = await this.run(reqs.length * DRAW_WORDS * 4, (encoder, staging) => {
      reqs.forEach((req, i) => this.lane(i).encode(encoder, req, record, bases[i]!, layouts[i]!, null));
      reqs.forEach((_, i) => encoder.copyBufferToBuffer(record, bases[i]! * 4, staging, i * DRAW_WORDS * 4, DRAW_WORDS * 4));
      extra?.(encoder);
    });
    return stored.map((s, i) => parseDraw(out.subarray(i * DRAW_WORDS, (i + 1) * DRAW_WORDS), s, i));
  }

  private async readStoredNow(rows: readonly StoredRecord[], extra?: ExtraEncode): Promise<{ rows: RowReadoutRow[]; bytesRead: number }> {
    const at: number[] = [];
    let words = 0;
    for (const r of rows) {
      at.push(words);
      words += storedRawWords(r.layout);
    }
    const out = await this.run(words * 4, (encoder, staging) => {
      extra?.(encoder);
      rows.forEach((r, i) => copyStoredRaw(encoder, r, staging, at[i]!));
    });
    return { rows: rows.map((r, i) => parseStoredRaw(out.subarray(at[i]!, at[i]! + storedRawWords(r.layout)), r)), bytesRead: words * 4 };
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
  private submit(words: number, encode: (encoder: GPUCommandEncoder, record: GPUBuffer) => void): Promise<Uint32Array> {
    const bytes = words * 4;
    const record = this.bufs.record.ensure(bytes);
    return this.run(bytes, (encoder, staging) => {
      encode(encoder, record);
      encoder.copyBufferToBuffer(record, 0, staging, 0, bytes);
    });
  }

  /**
   * One command encoder (`encode` fills the first `bytes` bytes of the staging buffer), one submit,
   * one map of those bytes (none when `bytes` is 0); WebGPU errors become Errors.
   */
  private async run(bytes: number, encode: (encoder: GPUCommandEncoder, staging: GPUBuffer) => void): Promise<Uint32Array> {
    const staging = this.bufs.staging.ensure(bytes);
    this.device.pushErrorScope('validation');
    let scope: Promise<GPUError | null>;
    try {
      const encoder = this.device.createCommandEncoder({ label: 'sampleRow.encoder' });
      encode(encoder, staging);
      this.device.queue.submit([encoder.finish({ label: 'sampleRow.commands' })]);
    } finally {
      scope = this.device.popErrorScope();
    }
    const mapped =
      bytes === 0
        ? Promise.resolve(null)
        : staging.mapAsync(GPUMapMode.READ, 0, bytes).then(
            () => null,
            (e: unknown) => e,
          );
    const [gpuError, mapError] = await Promise.all([scope, mapped]);
    if (gpuError || mapError) {
      if (!mapError && bytes > 0) staging.unmap();
      throw new Error(`SampleRow: WebGPU rejected the work: ${gpuError ? gpuError.message : String(mapError)}`);
    }
    if (bytes === 0) return new Uint32Array(0);
    const out = new Uint32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    return out;
  }
}
