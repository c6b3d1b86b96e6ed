import sampleWgsl from '../wgsl/sample.wgsl?raw';
import sampleDrawWgsl from '../wgsl/sampleDraw.wgsl?raw';
import sampleSelectWgsl from '../wgsl/sampleSelect.wgsl?raw';
import { KernelArgumentError } from '../errors';
import { validateWarp } from '../reference/sample';
import { minPThreshold, residualCoefficients, topPFixed, uniformToU32 } from '../reference/sampleMath';
import type { LogitRowsGpu, WarpSpec } from '../types';
import { cachedOnDevice } from './deviceCache';
import { resolveWorkgroupSize, type KernelOptions } from './kernelOptions';
import { logitWindow } from './logitWindow';
import { bufferEntry, chunkCount, packParams, PARAMS_BYTES, S_SEL, sampleModuleSource, slotStride, STATE_WORDS, type ParamValues } from './sampleParams';

/** Shared buffers of a sampler encode. */
export interface SampleBuffers {
  /** Fused row (f32 words), read and masked in place. STORAGE. */
  y: GPUBuffer;
  /** STATE_WORDS u32 (written by logitFusion, initialised here). STORAGE | COPY_DST. */
  state: GPUBuffer;
  /** At least samplePartialWords(n) words. STORAGE. */
  partials: GPUBuffer;
  /** Receives SAMPLE_RECORD_WORDS at recordOffset. STORAGE. */
  record: GPUBuffer;
  recordOffset: number;
  /** Any small STORAGE buffer not otherwise bound (fills unused bindings). */
  dummy: GPUBuffer;
  /** Up to 16 token ids (u32) whose weights the record reports. STORAGE | COPY_DST. */
  tokenIds: GPUBuffer;
}

/** One kept-row encode: warpers (null = argmax only) and the draw. */
export interface SampleKeepIo extends SampleBuffers {
  /** The raw row (rows = 1): the record carries the raw logit of the chosen id. */
  raw: LogitRowsGpu;
  /** Length of the fused row. */
  n: number;
  warp: WarpSpec | null;
  /** Uniform in [0, 1) (null = argmax). */
  uniform: number | null;
  nTokens: number;
}

/** A kept processed row resident on the GPU (f32 words, -inf where removed). */
export interface KeptGpuRow {
  buffer: GPUBuffer;
  width: number;
  ymax: number;
  /** Exact kept mass (integer < 2^53). */
  mass: number;
}

/** One residual encode: draw from norm(max(0, p − q)) (fallback p). */
export interface SampleResidualIo extends Omit<SampleBuffers, 'y'> {
  p: KeptGpuRow;
  q: KeptGpuRow;
  uniform: number;
}

interface Pipelines {
  layout: GPUBindGroupLayout;
  radixHist: GPUComputePipeline;
  radixScan: GPUComputePipeline;
  keepMask: GPUComputePipeline;
  residualMass: GPUComputePipeline;
  drawChunk: GPUComputePipeline;
  drawFind: GPUComputePipeline;
}

const MAX_SLOTS = 12;

/** The sampler module's own WGSL (its preludes are added by sampleModuleSource). */
export const SAMPLE_WGSL = [sampleWgsl, sampleSelectWgsl, sampleDrawWgsl].join('\n');

/** Words of `partials` the sampler needs for a row of n entries (radix histograms per chunk). */
export function samplePartialWords(n: number, workgroupSize: number): number {
  return chunkCount(n, workgroupSize) * 512;
}

/**
 * GPU warpers and draw over a fused row: radix-select top-k and top-p thresholds, min-p, the kept
 * mask, then the inverse-CDF draw of one uniform in id order (or the argmax); also the residual
 * draw of speculative sampling. Bit-exact with kernels/reference/sample.ts.
 * Each instance owns its uniforms: encode it at most once per queue submit.
 */
export class Sample {
  readonly workgroupSize: number;
  private readonly pipelines: Pipelines;
  private readonly stride: number;
  private readonly params: GPUBuffer;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.workgroupSize = resolveWorkgroupSize(device, options);
    this.pipelines = cachedOnDevice(device, `sample/${this.workgroupSize}`, () => buildPipelines(device, this.workgroupSize));
    this.stride = slotStride(device);
    this.params = device.createBuffer({ label: 'sample.params', size: this.stride * MAX_SLOTS, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  /** Records warpers, mask and draw for a fused row into `pass`. */
  encodeKeep(pass: GPUComputePassEncoder, io: SampleKeepIo): void {
    if (io.warp) validateWarp(io.warp);
    const u = io.uniform === null ? null : uniformToU32(io.uniform);
    const w = logitWindow(this.device, io.raw);
    const chunks = chunkCount(io.n, this.workgroupSize);
    const warp = io.warp;
    const base: ParamValues = {
      base: w.baseElem, n: io.n, isF16: io.raw.dtype === 'f16' ? 1 : 0, chunks, recordOffset: io.recordOffset,
      topKOn: warp && warp.topK > 0 ? 1 : 0, pFixed: warp && warp.topP < 1 ? topPFixed(warp.topP) : 0,
      minPThr: warp && warp.minP > 0 ? minPThreshold(warp.minP) : 0, uniform: u ?? 0, sampling: u === null ? 0 : 1, nTokens: io.nTokens, mode: 0,
    };
    const rounds: [number, number][] = [];
    if (base.topKOn) for (let r = 0; r < 4; r++) rounds.push([0, r]);
    if (base.pFixed) for (const [slot, n] of [[1, 4], [2, 3]] as const) for (let r = 0; r < n; r++) rounds.push([slot, r]);
    const slots = [base, ...rounds.map(([slot, round]) => ({ ...base, slot, round }))];
    this.device.queue.writeBuffer(this.params, 0, packParams(slots, this.stride));
    const init = new Uint32Array(STATE_WORDS);
    init[S_SEL + 1] = warp?.topK ?? 0;
    this.device.queue.writeBuffer(io.state, 0, init);
    const bindGroup = this.bindGroup(io, { buffer: io.raw.buffer, offset: w.offsetBytes, size: w.sizeBytes }, io.y, io.dummy);
    const p = this.pipelines;
    rounds.forEach((_, i) => {
      pass.setBindGroup(0, bindGroup, [(i + 1) * this.stride]);
      pass.setPipeline(p.radixHist);
      pass.dispatchWorkgroups(chunks);
      pass.setPipeline(p.radixScan);
      pass.dispatchWorkgroups(1);
    });
    pass.setBindGroup(0, bindGroup, [0]);
    for (const [pipeline, groups] of [[p.keepMask, chunks], [p.drawChunk, 1], [p.drawFind, 1]] as const) {
      pass.setPipeline(pipeline);
      pass.dispatchWorkgroups(groups);
    }
  }

  /** Records the residual draw: masses per chunk, chunk pick, id pick. */
  encodeResidual(pass: GPUComputePassEncoder, io: SampleResidualIo): void {
    if (io.p.buffer === io.q.buffer) throw new KernelArgumentError('q', 'the same buffer as p', 'a different kept row (p == q has no residual)');
    const u = uniformToU32(io.uniform);
    const { a, b } = residualCoefficients(io.p.mass, io.q.mass);
    const chunks = chunkCount(Math.max(io.p.width, io.q.width), this.workgroupSize);
    const values: ParamValues = {
      n: io.p.width, qN: io.q.width, chunks, recordOffset: io.recordOffset, uniform: u, sampling: 1, mode: 1,
      coefA: a, coefB: b, ymaxP: io.p.ymax, ymaxQ: io.q.ymax,
    };
    this.device.queue.writeBuffer(this.params, 0, packParams([values], this.stride));
    const bindGroup = this.bindGroup({ ...io, y: io.p.buffer }, { buffer: io.dummy }, io.p.buffer, io.q.buffer);
    pass.setBindGroup(0, bindGroup, [0]);
    const p = this.pipelines;
    for (const [pipeline, groups] of [[p.residualMass, chunks], [p.drawChunk, 1], [p.drawFind, 1]] as const) {
      pass.setPipeline(pipeline);
      pass.dispatchWorkgroups(groups);
    }
  }

  /** Frees the uniform buffer (pipelines stay cached on the device). */
  dispose(): void {
    this.params.destroy();
  }

  private bindGroup(io: SampleBuffers, logits: GPUBufferBinding, y: GPUBuffer, y2: GPUBuffer): GPUBindGroup {
    return this.device.createBindGroup({
      label: 'sample.bindGroup',
      layout: this.pipelines.layout,
      entries: [
        { binding: 0, resource: logits },
        { binding: 1, resource: { buffer: this.params, size: PARAMS_BYTES } },
        { binding: 2, resource: { buffer: y } },
        { binding: 3, resource: { buffer: y2 } },
        { binding: 4, resource: { buffer: io.state } },
        { binding: 5, resource: { buffer: io.partials } },
        { binding: 6, resource: { buffer: io.record } },
        { binding: 7, resource: { buffer: io.tokenIds } },
      ],
    });
  }
}

function buildPipelines(device: GPUDevice, workgroupSize: number): Pipelines {
  const module = device.createShaderModule({ label: 'sample.module', code: sampleModuleSource(SAMPLE_WGSL, true) });
  const layout = device.createBindGroupLayout({
    label: 'sample.bindGroupLayout',
    entries: [
      bufferEntry(0, 'read-only-storage'),
      bufferEntry(1, 'uniform', true),
      bufferEntry(2, 'storage'),
      bufferEntry(3, 'read-only-storage'),
      bufferEntry(4, 'storage'),
      bufferEntry(5, 'storage'),
      bufferEntry(6, 'storage'),
      bufferEntry(7, 'read-only-storage'),
    ],
  });
  const pipelineLayout = device.createPipelineLayout({ label: 'sample.pipelineLayout', bindGroupLayouts: [layout] });
  const pipeline = (entryPoint: string): GPUComputePipeline =>
    device.createComputePipeline({ label: `sample.${entryPoint}`, layout: pipelineLayout, compute: { module, entryPoint, constants: { WG: workgroupSize } } });
  return {
    layout,
    radixHist: pipeline('radixHist'),
    radixScan: pipeline('radixScan'),
    keepMask: pipeline('keepMask'),
    residualMass: pipeline('residualMass'),
    drawChunk: pipeline('drawChunk'),
    drawFind: pipeline('drawFind'),
  };
}
