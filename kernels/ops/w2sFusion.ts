import logitLoadWgsl from '../wgsl/logitLoad.wgsl?raw';
import w2sFusionWgsl from '../wgsl/w2sFusion.wgsl?raw';
import { KernelArgumentError, NonFiniteRowError } from '../errors';
import { validateAlphas, type W2sJobStats, type W2sStats } from '../reference/w2sFusion';
import type { LogitRowsGpu } from '../types';
import { cachedOnDevice } from './deviceCache';
import { GrowableBuffer } from './growableBuffer';
import { chunkElems, resolveWorkgroupSize, type KernelOptions } from './kernelOptions';
import { logitWindow } from './logitWindow';

/** The three rows of one position (each `rows: 1`), large base, small base, small expert. */
export interface W2sRowsGpu {
  large: LogitRowsGpu;
  small: LogitRowsGpu;
  expert: LogitRowsGpu;
}

interface Pipelines {
  layout: GPUBindGroupLayout;
  partials: GPUComputePipeline;
  finish: GPUComputePipeline;
  fuse: GPUComputePipeline;
}

const PARTIAL_BYTES = 20; // struct W2sAcc: m, s, t, count, bad
const RECORD_WORDS = 5;
const PARAMS_BYTES = 48;

/**
 * GPU weak-to-strong fusion (docs/algorithms.md#w2s; CPU reference kernels/reference/w2sFusion.ts):
 * `stats` gives the exact full-vocabulary softmax statistics from which the KLs of every grid α and
 * κ follow (one submit, 20 bytes read back per job: (grid + 2) × 20 bytes), `fuse` writes the fused
 * row z_L + α·(z_E − z_S) into a new f32 buffer (one submit, nothing read back) for the processor
 * chain. Each instance owns its uniforms and scratch: one call at a time.
 */
export class W2sFusion {
  readonly workgroupSize: number;
  private readonly pipelines: Pipelines;
  private readonly params: GPUBuffer;
  private readonly alphas: GrowableBuffer;
  private readonly partials: GrowableBuffer;
  private readonly records: GrowableBuffer;
  private readonly staging: GrowableBuffer;
  private readonly dummy: GPUBuffer;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.workgroupSize = resolveWorkgroupSize(device, options);
    this.pipelines = cachedOnDevice(device, `w2sFusion/${this.workgroupSize}`, () => buildPipelines(device, this.workgroupSize));
    this.params = device.createBuffer({ label: 'w2sFusion.params', size: PARAMS_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.alphas = new GrowableBuffer(device, 'w2sFusion.alphas', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.partials = new GrowableBuffer(device, 'w2sFusion.partials', GPUBufferUsage.STORAGE);
    this.records = new GrowableBuffer(device, 'w2sFusion.records', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    this.staging = new GrowableBuffer(device, 'w2sFusion.staging', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    this.dummy = device.createBuffer({ label: 'w2sFusion.dummy', size: 16, usage: GPUBufferUsage.STORAGE });
  }

  /** The common support bound: the smallest validVocab of the three rows. */
  static validOf(rows: W2sRowsGpu): number {
    return Math.min(rows.large.validVocab, rows.small.validVocab, rows.expert.validVocab);
  }

  /** Softmax statistics of every job (see the WGSL); `bytes` is what was read back. */
  async stats(rows: W2sRowsGpu, alphas: readonly number[]): Promise<{ stats: W2sStats; bytes: number }> {
    validateAlphas(alphas);
    const valid = W2sFusion.validOf(rows);
    const jobs = alphas.length + 2;
    const chunks = Math.ceil(valid / chunkElems(this.workgroupSize));
    const alphaBuf = this.alphas.ensure(alphas.length * 4);
    this.device.queue.writeBuffer(alphaBuf, 0, new Float32Array(alphas));
    const partials = this.partials.ensure(jobs * chunks * PARTIAL_BYTES);
    const bytes = jobs * RECORD_WORDS * 4;
    const records = this.records.ensure(bytes);
    const staging = this.staging.ensure(bytes);
    const bind = this.bind(rows, valid, { chunks, jobs: alphas.length, width: 0, alpha: 0 }, { alphas: alphaBuf, partials, records, fused: this.dummy });
    const encoder = this.device.createCommandEncoder({ label: 'w2sFusion.stats.encoder' });
    const pass = encoder.beginComputePass({ label: 'w2sFusion.stats.pass' });
    pass.setBindGroup(0, bind);
    pass.setPipeline(this.pipelines.partials);
    pass.dispatchWorkgroups(chunks, jobs);
    pass.setPipeline(this.pipelines.finish);
    pass.dispatchWorkgroups(jobs);
    pass.end();
    encoder.copyBufferToBuffer(records, 0, staging, 0, bytes);
    this.device.queue.submit([encoder.finish({ label: 'w2sFusion.stats.commands' })]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const copy = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    return { stats: parseStats(new Uint32Array(copy), alphas.length, valid), bytes };
  }

  /**
   * A new f32 buffer (STORAGE | COPY_SRC, the caller destroys it) holding the fused row of
   * `width` entries: l + α·(e − s) on the common support, −inf elsewhere. One submit.
   */
  fuse(rows: W2sRowsGpu, alpha: number, width: number): GPUBuffer {
    if (!Number.isFinite(alpha)) throw new KernelArgumentError('alpha', alpha, 'a finite number');
    if (!Number.isInteger(width) || width < 1 || width > rows.large.rowLength) throw new KernelArgumentError('width', width, `an integer in [1, ${rows.large.rowLength}]`);
    const valid = W2sFusion.validOf(rows);
    const out = this.device.createBuffer({ label: 'w2sFusion.fused', size: Math.max(16, width * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const bind = this.bind(rows, valid, { chunks: 0, jobs: 0, width, alpha }, { alphas: this.alphas.ensure(4), partials: this.partials.ensure(PARTIAL_BYTES), records: this.records.ensure(RECORD_WORDS * 4), fused: out });
    const encoder = this.device.createCommandEncoder({ label: 'w2sFusion.fuse.encoder' });
    const pass = encoder.beginComputePass({ label: 'w2sFusion.fuse.pass' });
    pass.setBindGroup(0, bind);
    pass.setPipeline(this.pipelines.fuse);
    pass.dispatchWorkgroups(Math.ceil(width / this.workgroupSize));
    pass.end();
    this.device.queue.submit([encoder.finish({ label: 'w2sFusion.fuse.commands' })]);
    return out;
  }

  private bind(
    rows: W2sRowsGpu,
    valid: number,
    p: { chunks: number; jobs: number; width: number; alpha: number },
    io: { alphas: GPUBuffer; partials: GPUBuffer; records: GPUBuffer; fused: GPUBuffer },
  ): GPUBindGroup {
    for (const [name, r] of Object.entries(rows) as [string, LogitRowsGpu][]) {
      if (r.rows !== 1) throw new KernelArgumentError(`${name}.rows`, r.rows, '1');
    }
    const wl = logitWindow(this.device, rows.large);
    const ws = logitWindow(this.device, rows.small);
    const we = logitWindow(this.device, rows.expert);
    const f16 = (r: LogitRowsGpu) => (r.dtype === 'f16' ? 1 : 0);
    const words = new Uint32Array(PARAMS_BYTES / 4);
    words.set([wl.baseElem, ws.baseElem, we.baseElem, valid, p.chunks, f16(rows.large), f16(rows.small), f16(rows.expert), p.jobs, p.width]);
    new Float32Array(words.buffer)[10] = p.alpha;
    this.device.queue.writeBuffer(this.params, 0, words);
    const range = (buffer: GPUBuffer, w: { offsetBytes: number; sizeBytes: number }) => ({ buffer, offset: w.offsetBytes, size: w.sizeBytes });
    return this.device.createBindGroup({
      label: 'w2sFusion.bindGroup',
      layout: this.pipelines.layout,
      entries: [
        { binding: 0, resource: range(rows.large.buffer, wl) },
        { binding: 1, resource: { buffer: this.params } },
        { binding: 2, resource: range(rows.small.buffer, ws) },
        { binding: 3, resource: range(rows.expert.buffer, we) },
        { binding: 4, resource: { buffer: io.alphas } },
        { binding: 5, resource: { buffer: io.partials } },
        { binding: 6, resource: { buffer: io.records } },
        { binding: 7, resource: { buffer: io.fused } },
      ],
    });
  }

  /** Frees the uniforms and scratch (pipelines stay cached on the device). */
  dispose(): void {
    this.params.destroy();
    this.alphas.dispose();
    this.partials.dispose();
    this.records.dispose();
    this.staging.dispose();
    this.dummy.destroy();
  }
}

/** Decodes the job records [m, s, t, count, bad] into statistics; throws NonFiniteRowError. */
export function parseStats(words: Uint32Array, grid: number, valid: number): W2sStats {
  const floats = new Float32Array(words.buffer, words.byteOffset, words.length);
  const job = (j: number): W2sJobStats => {
    const o = j * RECORD_WORDS;
    const m = floats[o]!;
    const s = floats[o + 1]!;
    const t = floats[o + 2]!;
    return { lse: m + Math.log(s), mean: t / s };
  };
  const bad = words[(grid + 1) * RECORD_WORDS + 4]!;
  const support = words[(grid + 1) * RECORD_WORDS + 3]!;
  if (bad > 0) throw new NonFiniteRowError(0, 'nan-or-inf', `${bad} entries of the large, small or expert row`);
  if (support === 0) throw new NonFiniteRowError(0, 'no-finite', `no entry below ${valid} is finite in all three rows`);
  return { fused: Array.from({ length: grid }, (_, j) => job(j)), expert: job(grid), small: job(grid + 1), support };
}

function buildPipelines(device: GPUDevice, workgroupSize: number): Pipelines {
  const module = device.createShaderModule({ label: 'w2sFusion.module', code: `${logitLoadWgsl}\n${w2sFusionWgsl}` });
  const entry = (type: GPUBufferBindingType, binding: number): GPUBindGroupLayoutEntry => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } });
  const layout = device.createBindGroupLayout({
    label: 'w2sFusion.bindGroupLayout',
    entries: [
      entry('read-only-storage', 0),
      entry('uniform', 1),
      entry('read-only-storage', 2),
      entry('read-only-storage', 3),
      entry('read-only-storage', 4),
      entry('storage', 5),
      entry('storage', 6),
      entry('storage', 7),
    ],
  });
  const pipelineLayout = device.createPipelineLayout({ label: 'w2sFusion.pipelineLayout', bindGroupLayouts: [layout] });
  const pipeline = (entryPoint: string): GPUComputePipeline =>
    device.createComputePipeline({ label: `w2sFusion.${entryPoint}`, layout: pipelineLayout, compute: { module, entryPoint, constants: { WG: workgroupSize } } });
  return { layout, partials: pipeline('partials'), finish: pipeline('finish'), fuse: pipeline('fuse') };
}
