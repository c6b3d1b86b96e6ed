import { STATS_RECORD_WORDS, topKRecordWords } from '../limits';
import type { LogitRowsGpu, RowReadoutOptions, RowReadoutResult } from '../types';
import { normalizeTokenIds, validateK, validateLayout } from '../validate';
import { GrowableBuffer } from './growableBuffer';
import type { KernelOptions } from './kernelOptions';
import { RowSummary } from './rowSummary';
import { parseSoftmaxStats } from './softmaxStats';
import { parseTopK } from './rowSummary';

/**
 * Per decode step readout of logit rows resident on the GPU: softmax statistics + top-k of every row
 * (RowSummary: two dispatches reading each logit once) in one command encoder, one small packed
 * result buffer copied to a MAP_READ staging buffer, one submit. Only the records (8 + 1 + 2k words per row) cross to the CPU, never the rows.
 * Calls are serialised: a read waits for the previous one to finish.
 */
export class RowReadout {
  private readonly summary: RowSummary;
  private readonly results: GrowableBuffer;
  private readonly staging: GrowableBuffer;
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.summary = new RowSummary(device, options);
    this.results = new GrowableBuffer(device, 'rowReadout.results', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    this.staging = new GrowableBuffer(device, 'rowReadout.staging', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /**
   * Stats and top-k of `src.rows` rows. Rejects with KernelArgumentError for bad arguments,
   * NonFiniteRowError naming the row for a row without finite entries (or with NaN / +inf), and an
   * Error carrying the device message when WebGPU rejects the work (e.g. a destroyed src buffer).
   */
  read(src: LogitRowsGpu, opts: RowReadoutOptions): Promise<RowReadoutResult> {
    const run = this.tail.then(() => this.readNow(src, opts));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Frees every buffer this readout owns; later reads reject. */
  dispose(): void {
    this.disposed = true;
    this.summary.dispose();
    this.results.dispose();
    this.staging.dispose();
  }

  private async readNow(src: LogitRowsGpu, opts: RowReadoutOptions): Promise<RowReadoutResult> {
    if (this.disposed) throw new Error('RowReadout.read called after dispose()');
    validateLayout(src);
    const k = validateK(opts.k);
    normalizeTokenIds(opts.tokenIds, src);
    const statsWords = src.rows * STATS_RECORD_WORDS;
    const bytes = (statsWords + src.rows * topKRecordWords(k)) * 4;
    const words = await this.runOnGpu(src, opts, k, statsWords, bytes);
    const stats = parseSoftmaxStats(words, 0, src, opts.tokenIds);
    const tops = parseTopK(words, statsWords, src.rows, k);
    const rows = stats.map((s, r) => {
      const top = tops[r];
      if (!top) throw new Error(`RowReadout: missing top-k record for row ${r}`);
      return { ...s, topIds: top.topIds, topLogits: top.topLogits };
    });
    return { rows, bytesRead: bytes };
  }

  private async runOnGpu(src: LogitRowsGpu, opts: RowReadoutOptions, k: number, statsWords: number, bytes: number): Promise<Uint32Array> {
    const results = this.results.ensure(bytes);
    const staging = this.staging.ensure(bytes);
    this.device.pushErrorScope('validation');
    let scope: Promise<GPUError | null> | null = null;
    try {
      const encoder = this.device.createCommandEncoder({ label: 'rowReadout.encoder' });
      const pass = encoder.beginComputePass({ label: 'rowReadout.pass' });
      this.summary.encode(pass, { src, k, tokenIds: opts.tokenIds, out: results, statsOffsetWords: 0, topOffsetWords: statsWords });
      pass.end();
      encoder.copyBufferToBuffer(results, 0, staging, 0, bytes);
      this.device.queue.submit([encoder.finish({ label: 'rowReadout.commands' })]);
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
      const message = gpuError ? gpuError.message : String(mapError);
      throw new Error(`RowReadout: WebGPU rejected the readout: ${message}`);
    }
    const words = new Uint32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    return words;
  }
}
