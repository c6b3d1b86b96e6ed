import { STATS_RECORD_WORDS } from '../../kernels/limits';
import { RowReadout } from '../../kernels/ops/rowReadout';
import { SoftmaxStats } from '../../kernels/ops/softmaxStats';
import { readRowsCpu } from '../../kernels/reference/rowReadout';
import type { LogitRowsGpu, LogitRowsLayout, RowReadoutOptions, RowReadoutResult } from '../../kernels/types';
import { mulberry32 } from '../../harness/kernelCases';
import type { GpuContext } from './device';

// Timings of one decode step's readout on the GPU against copying the rows back and scanning them
// on the CPU. Only long-standing classes of the kernel library are used (RowReadout, SoftmaxStats,
// readRowsCpu), so the same file times an older revision of kernels/ (--baseline). SoftmaxStats
// alone is a control: an unchanged two-dispatch kernel whose time shows the GPU's state.

/** Distribution of one measurement, in milliseconds. */
export interface Sample {
  median: number;
  p10: number;
  p90: number;
  /** Timed iterations (after warm-up); fewer than asked when the time budget ran out. */
  n: number;
}

export interface ShapeTimings {
  rowLength: number;
  rows: number;
  k: number;
  /** RowReadout.read wall time: encode, submit, map the records, parse. */
  readout: Sample;
  /** GPU time of the compute passes RowReadout.read records (timestamp queries), or null. */
  kernelGpu: Sample | null;
  /** Compute passes one RowReadout.read records (their times are summed). */
  kernelPasses: number;
  /** SoftmaxStats alone in its own pass and submit (timestamp queries), or null: the control. */
  statsGpu: Sample | null;
  /** Copy the whole rows into a MAP_READ buffer, submit, mapAsync, copy out, unmap. */
  copyMap: Sample;
  /** readRowsCpu on rows already in memory. */
  cpuScan: Sample;
  /** readRowsFast (kernels/reference/rowReadoutFast.ts) when present, else null. */
  fastScan: Sample | null;
  /** copyMap + readRowsCpu, timed end to end: what the CPU fallback costs per step. */
  fullPath: Sample;
  /** copyMap + readRowsFast end to end, when present. */
  fullPathFast: Sample | null;
  readoutBytes: number;
  rowBytes: number;
}

export interface FloorTimings {
  /** queue.submit([]) + onSubmittedWorkDone(). */
  emptySubmit: Sample;
  /** mapAsync + unmap of a 16-byte MAP_READ buffer with no GPU work pending. */
  tinyMap: Sample;
  /** 16-byte copyBufferToBuffer + submit + mapAsync + unmap: the least a GPU readout can cost. */
  copy16Map: Sample;
}

export type ReadRows = (data: Float32Array, src: LogitRowsLayout, opts: RowReadoutOptions) => RowReadoutResult;

export interface TimingOptions {
  lengths: number[];
  rowsList: number[];
  k: number;
  iterations: number;
  warmup: number;
  /** Stop a measurement early once it has run this long and has at least 10 samples. */
  budgetMs: number;
  readRowsFast: ReadRows | null;
  log: (line: string) => void;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function summarize(xs: number[]): Sample {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p10: quantile(s, 0.1), p90: quantile(s, 0.9), n: s.length };
}

/** Warm-up runs, then up to `iterations` timed runs of `f` (wall clock, ms). */
async function timed(o: TimingOptions, f: () => unknown): Promise<Sample> {
  for (let i = 0; i < o.warmup; i++) await f();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < o.iterations; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
    if (times.length >= 10 && performance.now() - start > o.budgetMs) break;
  }
  return summarize(times);
}

/** Warm-up runs, then up to `iterations` runs of `f`, which returns its own measurement (ms). */
async function measured(o: TimingOptions, f: () => Promise<number[]>): Promise<Sample[]> {
  for (let i = 0; i < o.warmup; i++) await f();
  const series: number[][] = [];
  const start = performance.now();
  for (let i = 0; i < o.iterations; i++) {
    (await f()).forEach((v, j) => (series[j] ??= []).push(v));
    if (i + 1 >= 10 && performance.now() - start > o.budgetMs) break;
  }
  return series.map(summarize);
}

/** rows × rowLength f32 logits in [-8, 8) with 2 % masked (-inf), seeded. */
function makeRows(rowLength: number, rows: number, seed: number): Float32Array<ArrayBuffer> {
  const rand = mulberry32(seed);
  const data = new Float32Array(rowLength * rows);
  for (let i = 0; i < data.length; i++) data[i] = rand() < 0.02 ? -Infinity : (rand() * 2 - 1) * 8;
  return data;
}

function mapRead(device: GPUDevice, label: string, size: number): GPUBuffer {
  return device.createBuffer({ label, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
}

/** Copies `bytes` of `src` into `staging`, maps it and returns a copy of the contents. */
async function copyAndMap(device: GPUDevice, src: GPUBuffer, staging: GPUBuffer, bytes: number): Promise<Float32Array> {
  const encoder = device.createCommandEncoder({ label: 'benchGpu.copyRows' });
  encoder.copyBufferToBuffer(src, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ, 0, bytes);
  const data = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
  staging.unmap();
  return data;
}

const MAX_TIMED_PASSES = 8;

/**
 * GPU time of whatever compute passes a function records, from timestamp queries: while `time(f)`
 * runs, GPUCommandEncoder.beginComputePass is wrapped to add timestampWrites (two queries per pass),
 * so RowReadout is timed as it is, whatever kernels it encodes (this revision's or a baseline's).
 * The queries are resolved and read after `f` resolves, in their own submit.
 */
class PassClock {
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private readonly read: GPUBuffer;
  /** Passes per call of the last time() (RowReadout: 1). */
  lastPasses = 0;

  constructor(private readonly device: GPUDevice) {
    const count = 2 * MAX_TIMED_PASSES;
    this.querySet = device.createQuerySet({ label: 'benchGpu.timestamps', type: 'timestamp', count });
    this.resolve = device.createBuffer({ label: 'benchGpu.resolve', size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.read = mapRead(device, 'benchGpu.timestampsRead', count * 8);
  }

  /** Runs `f` with its compute passes timed; returns their summed GPU time in ms. */
  async time(f: () => Promise<unknown>): Promise<number> {
    const proto = GPUCommandEncoder.prototype;
    const begin = proto.beginComputePass;
    const querySet = this.querySet;
    let passes = 0;
    proto.beginComputePass = function (this: GPUCommandEncoder, desc?: GPUComputePassDescriptor) {
      const i = passes;
      if (i >= MAX_TIMED_PASSES || desc?.timestampWrites) return begin.call(this, desc);
      passes++;
      const timestampWrites = { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
      return begin.call(this, { ...desc, timestampWrites });
    };
    try {
      await f();
    } finally {
      proto.beginComputePass = begin;
    }
    this.lastPasses = passes;
    if (passes === 0) return 0;
    const encoder = this.device.createCommandEncoder({ label: 'benchGpu.readTimestamps' });
    encoder.resolveQuerySet(this.querySet, 0, 2 * passes, this.resolve, 0);
    encoder.copyBufferToBuffer(this.resolve, 0, this.read, 0, 16 * passes);
    this.device.queue.submit([encoder.finish()]);
    await this.read.mapAsync(GPUMapMode.READ, 0, 16 * passes);
    const ns = new BigUint64Array(this.read.getMappedRange(0, 16 * passes).slice(0));
    this.read.unmap();
    let total = 0n;
    for (let i = 0; i < passes; i++) total += (ns[2 * i + 1] ?? 0n) - (ns[2 * i] ?? 0n);
    return Number(total) / 1e6;
  }

  dispose(): void {
    this.querySet.destroy();
    [this.resolve, this.read].forEach((b) => b.destroy());
  }
}

/** Records one op into its own encoder and pass, submits, waits for the queue. */
async function runAlone(device: GPUDevice, record: (pass: GPUComputePassEncoder) => void): Promise<void> {
  const encoder = device.createCommandEncoder({ label: 'benchGpu.alone' });
  const pass = encoder.beginComputePass({ label: 'benchGpu.alonePass' });
  record(pass);
  pass.end();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
}

/** One (rowLength, rows) shape, f32. */
async function timeShape(ctx: GpuContext, o: TimingOptions, clock: PassClock | null, rowLength: number, rows: number): Promise<ShapeTimings> {
  const { device } = ctx;
  const k = o.k;
  const data = makeRows(rowLength, rows, rowLength * 131 + rows);
  const rowBytes = data.byteLength;
  const buffer = device.createBuffer({
    label: 'benchGpu.logits',
    size: rowBytes,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  });
  device.queue.writeBuffer(buffer, 0, data);
  const layout: LogitRowsLayout = { offsetElems: 0, rowStrideElems: rowLength, rowLength, rows, validVocab: rowLength };
  const src: LogitRowsGpu = { ...layout, buffer, dtype: 'f32' };
  const tokenIds = Array.from({ length: rows }, (_, r) => (r * 7919) % rowLength);
  const opts = { k, tokenIds };

  const readout = new RowReadout(device);
  let readoutBytes = 0;
  const readoutSample = await timed(o, async () => {
    readoutBytes = (await readout.read(src, opts)).bytesRead;
  });
  let kernelGpu: Sample | null = null;
  let statsGpu: Sample | null = null;
  let kernelPasses = 0;
  if (clock) {
    kernelGpu = await measured(o, async () => [await clock.time(() => readout.read(src, opts))]).then((s) => s[0] ?? null);
    kernelPasses = clock.lastPasses;
    const stats = new SoftmaxStats(device);
    const statsOut = device.createBuffer({ label: 'benchGpu.statsOut', size: rows * STATS_RECORD_WORDS * 4, usage: GPUBufferUsage.STORAGE });
    statsGpu =
      (await measured(o, async () => [await clock.time(() => runAlone(device, (pass) => stats.encode(pass, { src, tokenIds, out: statsOut })))]))[0] ?? null;
    stats.dispose();
    statsOut.destroy();
  }
  readout.dispose();

  const staging = mapRead(device, 'benchGpu.rowsStaging', rowBytes);
  const copyMap = await timed(o, () => copyAndMap(device, buffer, staging, rowBytes));
  const cpuScan = await timed(o, () => readRowsCpu(data, layout, opts));
  const fullPath = await timed(o, async () => readRowsCpu(await copyAndMap(device, buffer, staging, rowBytes), layout, opts));
  const fast = o.readRowsFast;
  const fastScan = fast ? await timed(o, () => fast(data, layout, opts)) : null;
  const fullPathFast = fast ? await timed(o, async () => fast(await copyAndMap(device, buffer, staging, rowBytes), layout, opts)) : null;
  staging.destroy();
  buffer.destroy();
  return {
    rowLength,
    rows,
    k,
    readout: readoutSample,
    kernelGpu,
    kernelPasses,
    statsGpu,
    copyMap,
    cpuScan,
    fastScan,
    fullPath,
    fullPathFast,
    readoutBytes,
    rowBytes,
  };
}

/** Fixed per-step costs of the queue and of mapping, independent of the rows. */
export async function timeFloor(ctx: GpuContext, o: TimingOptions): Promise<FloorTimings> {
  const { device } = ctx;
  const emptySubmit = await timed(o, async () => {
    device.queue.submit([]);
    await device.queue.onSubmittedWorkDone();
  });
  const tiny = mapRead(device, 'benchGpu.tiny', 16);
  const tinyMap = await timed(o, async () => {
    await tiny.mapAsync(GPUMapMode.READ);
    tiny.unmap();
  });
  const src = device.createBuffer({ label: 'benchGpu.tinySrc', size: 16, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.STORAGE });
  const copy16Map = await timed(o, () => copyAndMap(device, src, tiny, 16));
  [tiny, src].forEach((b) => b.destroy());
  return { emptySubmit, tinyMap, copy16Map };
}

/** Every shape of the grid, f32, largest rows last. */
export async function timeShapes(ctx: GpuContext, o: TimingOptions): Promise<ShapeTimings[]> {
  const clock = ctx.hasTimestamps ? new PassClock(ctx.device) : null;
  const out: ShapeTimings[] = [];
  for (const rowLength of o.lengths) {
    for (const rows of o.rowsList) {
      const t0 = performance.now();
      const t = await timeShape(ctx, o, clock, rowLength, rows);
      out.push(t);
      const us = t.kernelGpu ? `${(t.kernelGpu.median * 1000).toFixed(1)} µs kernel, ` : '';
      o.log(
        `  ${rowLength} × ${rows}: readout ${t.readout.median.toFixed(3)} ms, ${us}full path ${t.fullPath.median.toFixed(3)} ms (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
  }
  clock?.dispose();
  return out;
}
