import logitLoadWgsl from '../wgsl/logitLoad.wgsl?raw';
import softmaxAccWgsl from '../wgsl/softmaxAcc.wgsl?raw';
import softmaxStatsWgsl from '../wgsl/softmaxStats.wgsl?raw';
import { NonFiniteRowError } from '../errors';
import { NO_TOKEN, STATS_RECORD_WORDS } from '../limits';
import type { LogitRowsGpu, LogitRowsLayout, RowStats } from '../types';
import { normalizeTokenIds } from '../validate';
import { cachedOnDevice } from './deviceCache';
import { GrowableBuffer } from './growableBuffer';
import { chunkElems, requireOutput, resolveWorkgroupSize, type KernelOptions } from './kernelOptions';
import { logitWindow } from './logitWindow';

/** Buffers of one softmaxStats encode. */
export interface SoftmaxStatsIo {
  src: LogitRowsGpu;
  /** One token id per row (null = none), each in [0, rowLength). */
  tokenIds?: readonly (number | null)[];
  /** STORAGE buffer receiving rows × STATS_RECORD_WORDS u32 words at `outOffsetWords`. */
  out: GPUBuffer;
  outOffsetWords?: number;
}

interface Pipelines {
  layout: GPUBindGroupLayout;
  partials: GPUComputePipeline;
  finish: GPUComputePipeline;
}

const PARTIAL_BYTES = 20; // struct Acc: m, s, t, count, bad
const PARAMS_BYTES = 32;

/**
 * GPU softmax statistics per row (max, LSE, entropy in nats, one token's logit and probability).
 * Phase 1 folds chunks of workgroupSize × 16 logits into online-softmax partials; phase 2 merges them per row.
 * Each instance owns its uniforms and scratch: encode it at most once per queue submit.
 */
export class SoftmaxStats {
  readonly workgroupSize: number;
  private readonly pipelines: Pipelines;
  private readonly params: GPUBuffer;
  private readonly partials: GrowableBuffer;
  private readonly tokenIds: GrowableBuffer;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.workgroupSize = resolveWorkgroupSize(device, options);
    this.pipelines = cachedOnDevice(device, `softmaxStats/${this.workgroupSize}`, () => buildPipelines(device, this.workgroupSize));
    this.params = device.createBuffer({
      label: 'softmaxStats.params',
      size: PARAMS_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.partials = new GrowableBuffer(device, 'softmaxStats.partials', GPUBufferUsage.STORAGE);
    this.tokenIds = new GrowableBuffer(device, 'softmaxStats.tokenIds', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
  }

  /** Records both phases into `pass` (writes uniforms / token ids with queue.writeBuffer; never submits). */
  encode(pass: GPUComputePassEncoder, io: SoftmaxStatsIo): void {
    const { src } = io;
    const window = logitWindow(this.device, src);
    const ids = normalizeTokenIds(io.tokenIds, src);
    const outOffset = io.outOffsetWords ?? 0;
    requireOutput(io.out, outOffset, src.rows * STATS_RECORD_WORDS);
    const chunks = Math.ceil(src.validVocab / chunkElems(this.workgroupSize));
    const partials = this.partials.ensure(src.rows * chunks * PARTIAL_BYTES);
    const tokenIds = this.tokenIds.ensure(ids.byteLength);
    const isF16 = src.dtype === 'f16' ? 1 : 0;
    const params = [window.baseElem, src.rowStrideElems, src.validVocab, chunks, isF16, outOffset, 0, 0];
    this.device.queue.writeBuffer(this.params, 0, new Uint32Array(params));
    this.device.queue.writeBuffer(tokenIds, 0, ids);
    const bindGroup = this.device.createBindGroup({
      label: 'softmaxStats.bindGroup',
      layout: this.pipelines.layout,
      entries: [
        { binding: 0, resource: { buffer: src.buffer, offset: window.offsetBytes, size: window.sizeBytes } },
        { binding: 1, resource: { buffer: this.params } },
        { binding: 2, resource: { buffer: partials } },
        { binding: 3, resource: { buffer: tokenIds } },
        { binding: 4, resource: { buffer: io.out } },
      ],
    });
    pass.setBindGroup(0, bindGroup);
    pass.setPipeline(this.pipelines.partials);
    pass.dispatchWorkgroups(chunks, src.rows);
    pass.setPipeline(this.pipelines.finish);
    pass.dispatchWorkgroups(src.rows);
  }

  /** Frees the uniform and scratch buffers (pipelines stay cached on the device). */
  dispose(): void {
    this.params.destroy();
    this.partials.dispose();
    this.tokenIds.dispose();
  }
}

/**
 * Decodes `layout.rows` softmaxStats records starting at word `offsetWords` of a read-back copy.
 * Throws NonFiniteRowError (naming the row) for NaN / +inf entries or a row with no finite entry.
 */
export function parseSoftmaxStats(words: Uint32Array, offsetWords: number, layout: LogitRowsLayout, tokenIds?: readonly (number | null)[]): RowStats[] {
  const floats = new Float32Array(words.buffer, words.byteOffset, words.length);
  const ids = normalizeTokenIds(tokenIds, layout);
  const rows: RowStats[] = [];
  for (let r = 0; r < layout.rows; r++) {
    const o = offsetWords + r * STATS_RECORD_WORDS;
    const finite = words[o + 5] ?? 0;
    const bad = words[o + 6] ?? 0;
    if (bad > 0) throw new NonFiniteRowError(r, 'nan-or-inf', `${bad} such entries`);
    if (finite === 0) {
      throw new NonFiniteRowError(r, 'no-finite', `all ${layout.validVocab} valid entries are -inf`);
    }
    const hasToken = ids[r] !== NO_TOKEN;
    rows.push({
      max: floats[o] ?? NaN,
      lse: floats[o + 1] ?? NaN,
      entropy: floats[o + 2] ?? NaN,
      tokenLogit: hasToken ? (floats[o + 3] ?? NaN) : null,
      tokenProb: hasToken ? (floats[o + 4] ?? NaN) : null,
    });
  }
  return rows;
}

function buildPipelines(device: GPUDevice, workgroupSize: number): Pipelines {
  const module = device.createShaderModule({
    label: 'softmaxStats.module',
    code: `${logitLoadWgsl}\n${softmaxAccWgsl}\n${softmaxStatsWgsl}`,
  });
  const storage = (type: GPUBufferBindingType, binding: number): GPUBindGroupLayoutEntry => ({
    binding,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type },
  });
  const layout = device.createBindGroupLayout({
    label: 'softmaxStats.bindGroupLayout',
    entries: [storage('read-only-storage', 0), storage('uniform', 1), storage('storage', 2), storage('read-only-storage', 3), storage('storage', 4)],
  });
  const pipelineLayout = device.createPipelineLayout({
    label: 'softmaxStats.pipelineLayout',
    bindGroupLayouts: [layout],
  });
  const pipeline = (entryPoint: string): GPUComputePipeline =>
    device.createComputePipeline({
      label: `softmaxStats.${entryPoint}`,
      layout: pipelineLayout,
      compute: { module, entryPoint, constants: { WG: workgroupSize } },
    });
  return { layout, partials: pipeline('partials'), finish: pipeline('finish') };
}
