import {
  RowReadout,
  STATS_RECORD_WORDS,
  RowSummary,
  SoftmaxStats,
  parseSoftmaxStats,
  parseTopK,
  readRowsCpu,
  softmaxStatsCpu,
  topKCpu,
  topKRecordWords,
  type LogitRowsGpu,
  type RowReadoutResult,
} from '../kernels';
import { Comparator, errorRowOf, makeCase, settle, uploadCase, type Case, type ParityCase } from './kernelCases';

export type { ParityCase } from './kernelCases';

/** Small summary of a parity run (no rows cross back to the test). */
export interface ParityResult {
  ok: boolean;
  mismatches: string[];
  rowsChecked: number;
  maxRelErr: number;
  bytesRead: number;
  readMs: number;
  /** When a path threw: `"<row>/<reason>"` of each NonFiniteRowError (null if another error). */
  errorRow?: { gpu: string | null; cpu: string | null; message: string };
}

/** Median timings of one readout strategy over `iters` runs. */
export interface BenchResult {
  gpuReadoutMs: number;
  /** SoftmaxStats alone (own encoder, submit and small readback). */
  softmaxStatsMs: number;
  fullReadbackCpuMs: number;
  gpuBytes: number;
  fullBytes: number;
}

let devicePromise: Promise<GPUDevice> | null = null;
const deviceErrors: string[] = [];
interface Kernels {
  readout: RowReadout;
  stats: SoftmaxStats;
  summary: RowSummary;
}
const kernelsByWorkgroup = new Map<number | undefined, Kernels>();

/** Long-lived instances per workgroup size, so buffer reuse and growth across cases is exercised. */
function kernelsFor(device: GPUDevice, workgroupSize: number | undefined): Kernels {
  let k = kernelsByWorkgroup.get(workgroupSize);
  if (!k) {
    const options = workgroupSize === undefined ? {} : { workgroupSize };
    k = { readout: new RowReadout(device, options), stats: new SoftmaxStats(device, options), summary: new RowSummary(device, options) };
    kernelsByWorkgroup.set(workgroupSize, k);
  }
  return k;
}

function gpuDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    const device = await adapter.requestDevice({ label: 'kernelHarness.device' });
    device.addEventListener('uncapturederror', (e) => deviceErrors.push(e.error.message));
    return device;
  })();
  return devicePromise;
}

/**
 * Runs SoftmaxStats alone and RowSummary with its records the other way round from RowReadout's
 * (top-k first, statistics after), each on its own encoder + readback, against the references.
 */
async function checkOps(device: GPUDevice, kernels: Kernels, src: LogitRowsGpu, c: Case, k: number, cmp: Comparator): Promise<void> {
  const statsWords = src.rows * STATS_RECORD_WORDS;
  const topWords = src.rows * topKRecordWords(k);
  const words = await runStandalone(device, statsWords + topWords + statsWords, (pass, out) => {
    kernels.stats.encode(pass, { src, tokenIds: c.tokenIds, out });
    kernels.summary.encode(pass, { src, k, tokenIds: c.tokenIds, out, topOffsetWords: statsWords, statsOffsetWords: statsWords + topWords });
  });
  const cStats = await settle(() => softmaxStatsCpu(c.cpu, c.layout, c.tokenIds));
  for (const [what, at] of [
    ['softmaxStats', 0],
    ['rowSummary stats', statsWords + topWords],
  ] as const) {
    const gStats = await settle(() => parseSoftmaxStats(words, at, src, c.tokenIds));
    if (gStats.value && cStats.value) cmp.stats(what, gStats.value, cStats.value);
    else if (errorRowOf(gStats.error) !== errorRowOf(cStats.error)) cmp.fail(`${what} errors differ: ${gStats.error} / ${cStats.error}`);
  }
  const cTop = await settle(() => topKCpu(c.cpu, c.layout, k));
  if (cTop.value) cmp.tops('rowSummary top-k', parseTopK(words, statsWords, src.rows, k), cTop.value);
}

async function runStandalone(device: GPUDevice, words: number, record: (pass: GPUComputePassEncoder, out: GPUBuffer) => void): Promise<Uint32Array> {
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
  const out = device.createBuffer({ label: 'kernelHarness.opsOut', size: words * 4, usage });
  const staging = device.createBuffer({ label: 'kernelHarness.opsStaging', size: words * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder({ label: 'kernelHarness.opsEncoder' });
  const pass = encoder.beginComputePass({ label: 'kernelHarness.opsPass' });
  record(pass, out);
  pass.end();
  encoder.copyBufferToBuffer(out, 0, staging, 0, words * 4);
  device.queue.submit([encoder.finish({ label: 'kernelHarness.commands' })]);
  await staging.mapAsync(GPUMapMode.READ);
  const result = new Uint32Array(staging.getMappedRange().slice(0));
  out.destroy();
  staging.destroy();
  return result;
}

/** Generates the case, runs RowReadout (and the standalone ops) on the GPU and readRowsCpu, compares. */
export async function parity(spec: ParityCase): Promise<ParityResult> {
  const device = await gpuDevice();
  const c = makeCase(spec);
  const src = uploadCase(device, c, spec.dtype);
  const cmp = new Comparator();
  deviceErrors.length = 0;
  const kernels = kernelsFor(device, spec.workgroupSize);
  const readout = kernels.readout;
  const t0 = performance.now();
  const gpu = await settle(() => readout.read(src, { k: spec.k, tokenIds: c.tokenIds }));
  const readMs = performance.now() - t0;
  const cpu = await settle(() => readRowsCpu(c.cpu, c.layout, { k: spec.k, tokenIds: c.tokenIds }));
  let errorRow: ParityResult['errorRow'];
  if (gpu.value && cpu.value) {
    cmp.stats('readout', gpu.value.rows, cpu.value.rows);
    cmp.tops('readout', gpu.value.rows, cpu.value.rows);
  } else {
    errorRow = { gpu: errorRowOf(gpu.error), cpu: errorRowOf(cpu.error), message: String(gpu.error ?? cpu.error) };
    if (!gpu.error || !cpu.error) cmp.fail(`only one path threw: gpu ${gpu.error} / cpu ${cpu.error}`);
  }
  if (spec.ops ?? true) await checkOps(device, kernels, src, c, spec.k, cmp);
  src.buffer.destroy();
  deviceErrors.forEach((e) => cmp.fail(`uncaptured WebGPU error: ${e}`));
  return {
    ok: cmp.mismatches.length === 0,
    mismatches: cmp.mismatches,
    rowsChecked: c.layout.rows,
    maxRelErr: cmp.maxRelErr,
    bytesRead: gpu.value?.bytesRead ?? 0,
    readMs,
    ...(errorRow ? { errorRow } : {}),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function timed(iters: number, f: () => Promise<unknown>): Promise<number> {
  await f(); // warm-up: pipeline compiles and buffer growth stay out of the median
  const times: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Options of one micro-benchmark: shape, timed iterations, and the kernels' workgroup size. */
export interface BenchSpec {
  rowLength: number;
  rows: number;
  iters: number;
  /** WGSL `override WG` of the benchmarked instances; default: the library default. */
  workgroupSize?: number;
}

/** Median ms of RowReadout.read (and SoftmaxStats alone) vs copying the whole rows back + readRowsCpu (k = 10). */
export async function bench(opts: BenchSpec): Promise<BenchResult> {
  const device = await gpuDevice();
  const c = makeCase({ ...opts, k: 10, dtype: 'f32', seed: 7 });
  const src = uploadCase(device, c, 'f32');
  const options = opts.workgroupSize === undefined ? {} : { workgroupSize: opts.workgroupSize };
  const readout = new RowReadout(device, options);
  const stats = new SoftmaxStats(device, options);
  let gpuBytes = 0;
  const gpuReadoutMs = await timed(opts.iters, async () => {
    gpuBytes = (await readout.read(src, { k: 10, tokenIds: c.tokenIds })).bytesRead;
  });
  const softmaxStatsMs = await timed(opts.iters, () => runStandalone(device, src.rows * STATS_RECORD_WORDS, (pass, out) => stats.encode(pass, { src, out })));
  const fullBytes = c.upload.byteLength;
  const staging = device.createBuffer({ label: 'kernelHarness.benchStaging', size: fullBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const fullReadbackCpuMs = await timed(opts.iters, async (): Promise<RowReadoutResult> => {
    const encoder = device.createCommandEncoder({ label: 'kernelHarness.benchEncoder' });
    encoder.copyBufferToBuffer(src.buffer, 0, staging, 0, fullBytes);
    device.queue.submit([encoder.finish({ label: 'kernelHarness.commands' })]);
    await staging.mapAsync(GPUMapMode.READ);
    const data = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    return readRowsCpu(data, c.layout, { k: 10, tokenIds: c.tokenIds });
  });
  staging.destroy();
  src.buffer.destroy();
  [readout, stats].forEach((op) => op.dispose());
  return { gpuReadoutMs, softmaxStatsMs, fullReadbackCpuMs, gpuBytes, fullBytes };
}

/**
 * Runs RowReadout.read with invalid inputs and returns, per probe, `"<error name>: <message>"` (or
 * "resolved"); `afterwards` is a valid read on the same instance, which must still work.
 */
export async function probeErrors(): Promise<Record<string, string>> {
  const device = await gpuDevice();
  const readout = kernelsFor(device, undefined).readout;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const buffer = device.createBuffer({ label: 'kernelHarness.probe', size: 64, usage });
  device.queue.writeBuffer(
    buffer,
    0,
    new Float32Array(16).map((_, i) => i % 5),
  );
  const gone = device.createBuffer({ label: 'kernelHarness.probeDestroyed', size: 64, usage });
  gone.destroy();
  const plain = device.createBuffer({ label: 'kernelHarness.probePlain', size: 64, usage: GPUBufferUsage.COPY_DST });
  const src: LogitRowsGpu = { buffer, dtype: 'f32', offsetElems: 0, rowStrideElems: 16, rowLength: 16, rows: 1, validVocab: 16 };
  const probes: Record<string, () => Promise<unknown>> = {
    kZero: () => readout.read(src, { k: 0 }),
    kTooLarge: () => readout.read(src, { k: 65 }),
    tokenIdsLength: () => readout.read(src, { k: 1, tokenIds: [1, 2] }),
    tokenIdRange: () => readout.read(src, { k: 1, tokenIds: [16] }),
    validVocab: () => readout.read({ ...src, validVocab: 17 }, { k: 1 }),
    rowStride: () => readout.read({ ...src, rows: 2, rowStrideElems: 8 }, { k: 1 }),
    bufferTooSmall: () => readout.read({ ...src, rows: 2 }, { k: 1 }),
    noStorageUsage: () => readout.read({ ...src, buffer: plain }, { k: 1 }),
    dtype: () => readout.read({ ...src, dtype: 'bf16' as LogitRowsGpu['dtype'] }, { k: 1 }),
    destroyedBuffer: () => readout.read({ ...src, buffer: gone }, { k: 1 }),
    afterwards: async () => {
      const r = await readout.read(src, { k: 3, tokenIds: [4] });
      return r.rows[0]?.topIds.join();
    },
  };
  const out: Record<string, string> = {};
  for (const [name, probe] of Object.entries(probes)) {
    const r = await settle(probe);
    out[name] = r.error instanceof Error ? `${r.error.name}: ${r.error.message}` : `resolved ${String(r.value)}`;
  }
  [buffer, plain].forEach((b) => b.destroy());
  return out;
}

/** The page API Playwright drives. */
export interface KernelHarness {
  parity: typeof parity;
  bench: typeof bench;
  probeErrors: typeof probeErrors;
}

declare global {
  interface Window {
    kernelHarness?: KernelHarness;
  }
}

/** Exposes the kernel harness on `window.kernelHarness`. */
export function registerKernelHarness(): void {
  window.kernelHarness = { parity, bench, probeErrors };
}
