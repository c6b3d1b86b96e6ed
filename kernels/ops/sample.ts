import sampleWgsl from '../wgsl/sample.wgsl?raw';
import sampleDrawWgsl from '../wgsl/sampleDraw.wgsl?raw';
import sampleSelectWgsl from '../wgsl/sampleSelect.wgsl?raw';
import { KernelArgumentError } from '../errors';
import { residualCoefficients, uniformToU32 } from '../reference/sampleMath';
import { validateWarp } from '../reference/warpers';
import type { LogitRowsGpu, WarpSpec } from '../types';
import { cachedOnDevice } from './deviceCache';
import { resolveWorkgroupSize, type KernelOptions } from './kernelOptions';
import { logitWindow } from './logitWindow';
import { bufferEntry, chunkCount, packParams, PARAMS_BYTES, sampleModuleSource, slotStride, STATE_WORDS, type ParamValues } from './sampleParams';
import { MAX_STAGE_SLOTS, planStages, stageWgsl, type StagePass } from './sampleStages';

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

type Pipelines = Record<StagePass | 'keptMass' | 'residualMass' | 'drawChunk' | 'drawFind', GPUComputePipeline> & { layout: GPUBindGroupLayout };

/** The sampler module's own WGSL (its preludes are added by sampleModuleSource). */
export const SAMPLE_WGSL = [sampleWgsl, sampleSelectWgsl, stageWgsl(), sampleDrawWgsl].join('\n');

/** Words of `partials` the sampler needs for a row of n entries (radix histograms per chunk). */
export function samplePartialWords(n: number, workgroupSize: number): number {
  return chunkCount(n, workgroupSize) * 512;
}

/**
 * GPU warpers and draw over a fused row: the stages of kernels/warpers/index.ts (radix-select
 * thresholds, masks), the kept mass, then the inverse-CDF draw of one uniform in id order (or the
 * argmax); also the residual draw of speculative sampling. Bit-exact with kernels/reference/sample.ts.
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
    this.params = device.createBuffer({ label: 'sample.params', size: this.stride * MAX_STAGE_SLOTS, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  /** Records warpers, mask and draw for a fused row into `pass`. */
  encodeKeep(pass: GPUComputePassEncoder, io: SampleKeepIo): void {
    if (io.warp) validateWarp(io.warp);
    const u = io.uniform === null ? null : uniformToU32(io.uniform);
    const w = logitWindow(this.device, io.raw);
    const chunks = chunkCount(io.n, this.workgroupSize);
    const base: ParamValues = {
      base: w.baseElem, n: io.n, isF16: io.raw.dtype === 'f16' ? 1 : 0, chunks, recordOffset: io.recordOffset,
      uniform: u ?? 0, sampling: u === null ? 0 : 1, nTokens: io.nTokens, mode: 0,
    };
    const { slots, steps } = planStages(base, io.warp);
    this.device.queue.writeBuffer(this.params, 0, packParams(slots, this.stride));
    this.device.queue.writeBuffer(io.state, 0, new Uint32Array(STATE_WORDS));
    const bindGroup = this.bindGroup(io, { buffer: io.raw.buffer, offset: w.offsetBytes, size: w.sizeBytes }, io.y, io.dummy);
    const p = this.pipelines;
    for (const step of steps) {
      pass.setBindGroup(0, bindGroup, [step.slot * this.stride]);
      pass.setPipeline(p[step.pass]);
      pass.dispatchWorkgroups(step.perChunk ? chunks : 1);
    }
    pass.setBindGroup(0, bindGroup, [0]);
    for (const [pipeline, groups] of [[p.keptMass, chunks], [p.drawChunk, 1], [p.drawFind, 1]] as const) {
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
  const names = ['entropyChunk', 'entropyFinish', 'massChunk', 'massFinish', 'radixHist', 'radixScan', 'stageMask', 'keptMass', 'residualMass', 'drawChunk', 'drawFind'] as const;
  return { layout, ...(Object.fromEntries(names.map((n) => [n, pipeline(n)])) as Record<(typeof names)[number], GPUComputePipeline>) };
}
