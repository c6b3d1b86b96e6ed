import logitLoadWgsl from '../wgsl/logitLoad.wgsl?raw';
import topKWgsl from '../wgsl/topK.wgsl?raw';
import { ITEMS_PER_THREAD, topKRecordWords } from '../limits';
import type { LogitRowsGpu, RowTopK } from '../types';
import { validateK } from '../validate';
import { cachedOnDevice } from './deviceCache';
import { GrowableBuffer } from './growableBuffer';
import { chunkElems, requireOutput, resolveWorkgroupSize, type KernelOptions } from './kernelOptions';
import { logitWindow } from './logitWindow';

/** Buffers of one topK encode. */
export interface TopKIo {
  src: LogitRowsGpu;
  /** Entries kept per row, in [1, MAX_K]. */
  k: number;
  /** STORAGE buffer receiving rows × topKRecordWords(k) u32 words at `outOffsetWords`. */
  out: GPUBuffer;
  outOffsetWords?: number;
}

interface Pipelines {
  layout: GPUBindGroupLayout;
  chunkTop: GPUComputePipeline;
  mergeTop: GPUComputePipeline;
  rowTop: GPUComputePipeline;
}

/** One dispatch of the top-k reduction tree: its pipeline, grid and uniform slot values. */
interface Step {
  pipeline: GPUComputePipeline;
  groups: number;
  listsIn: number;
  inOffset: number;
  listsOut: number;
  outOffset: number;
}

const CANDIDATE_BYTES = 8; // vec2<u32>: order key, token id
const PARAMS_BIND_BYTES = 48; // struct Params: 10 u32, bound in 16-byte units
const MAX_STEPS = 8; // chunkTop, up to 6 merge levels, rowTop

/**
 * GPU top-k per row (k <= 64), sorted by logit descending with ties towards the lower id; rows with
 * fewer than k finite entries return only those. `chunkTop` radix-selects k candidates per chunk of
 * workgroupSize × 16 logits; `mergeTop` levels reduce groups of candidate lists until one workgroup
 * can hold them; `rowTop` selects from those and ranks the survivors.
 * Each instance owns its uniforms and scratch: encode it at most once per queue submit.
 */
export class TopK {
  readonly workgroupSize: number;
  private readonly pipelines: Pipelines;
  private readonly slotBytes: number;
  private readonly params: GPUBuffer;
  private readonly candidates: GrowableBuffer;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.workgroupSize = resolveWorkgroupSize(device, options);
    this.pipelines = cachedOnDevice(device, `topK/${this.workgroupSize}`, () => buildPipelines(device, this.workgroupSize));
    this.slotBytes = Math.max(PARAMS_BIND_BYTES, device.limits.minUniformBufferOffsetAlignment);
    this.params = device.createBuffer({
      label: 'topK.params',
      size: this.slotBytes * MAX_STEPS,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.candidates = new GrowableBuffer(device, 'topK.candidates', GPUBufferUsage.STORAGE);
  }

  /** Records the reduction tree into `pass` (writes uniforms with queue.writeBuffer; never submits). */
  encode(pass: GPUComputePassEncoder, io: TopKIo): void {
    const { src } = io;
    const k = validateK(io.k);
    const window = logitWindow(this.device, src);
    const outOffset = io.outOffsetWords ?? 0;
    requireOutput(io.out, outOffset, src.rows * topKRecordWords(k));
    const { steps, regionEntries } = this.plan(src.validVocab, src.rows, k, outOffset);
    const candidates = this.candidates.ensure(regionEntries * CANDIDATE_BYTES);
    const isF16 = src.dtype === 'f16' ? 1 : 0;
    const slots = new Uint32Array((this.slotBytes / 4) * steps.length);
    steps.forEach((step, i) => {
      const groupWidth = Math.floor((this.workgroupSize * ITEMS_PER_THREAD) / k);
      const values = [window.baseElem, src.rowStrideElems, src.validVocab, isF16, k];
      values.push(step.listsIn, groupWidth, step.inOffset, step.listsOut, step.outOffset);
      slots.set(values, (i * this.slotBytes) / 4);
    });
    this.device.queue.writeBuffer(this.params, 0, slots);
    const bindGroup = this.device.createBindGroup({
      label: 'topK.bindGroup',
      layout: this.pipelines.layout,
      entries: [
        { binding: 0, resource: { buffer: src.buffer, offset: window.offsetBytes, size: window.sizeBytes } },
        { binding: 1, resource: { buffer: this.params, size: PARAMS_BIND_BYTES } },
        { binding: 2, resource: { buffer: candidates } },
        { binding: 3, resource: { buffer: io.out } },
      ],
    });
    steps.forEach((step, i) => {
      pass.setBindGroup(0, bindGroup, [i * this.slotBytes]);
      pass.setPipeline(step.pipeline);
      pass.dispatchWorkgroups(step.groups, src.rows);
    });
  }

  /** Frees the uniform and scratch buffers (pipelines stay cached on the device). */
  dispose(): void {
    this.params.destroy();
    this.candidates.dispose();
  }

  /** Dispatches of the reduction tree, ping-ponging between two candidate regions. */
  private plan(validVocab: number, rows: number, k: number, recordOffset: number) {
    const groupWidth = Math.floor((this.workgroupSize * ITEMS_PER_THREAD) / k);
    const chunks = Math.ceil(validVocab / chunkElems(this.workgroupSize));
    const regionB = rows * chunks * k;
    const { chunkTop, mergeTop, rowTop } = this.pipelines;
    const steps: Step[] = [{ pipeline: chunkTop, groups: chunks, listsIn: 0, inOffset: 0, listsOut: chunks, outOffset: 0 }];
    let lists = chunks;
    let inOffset = 0;
    while (lists > groupWidth) {
      const listsOut = Math.ceil(lists / groupWidth);
      const outOffset = inOffset === 0 ? regionB : 0;
      steps.push({ pipeline: mergeTop, groups: listsOut, listsIn: lists, inOffset, listsOut, outOffset });
      lists = listsOut;
      inOffset = outOffset;
    }
    steps.push({ pipeline: rowTop, groups: 1, listsIn: lists, inOffset, listsOut: 1, outOffset: recordOffset });
    if (steps.length > MAX_STEPS) throw new Error(`topK needs ${steps.length} dispatches, more than ${MAX_STEPS}`);
    const secondRegion = chunks > groupWidth ? rows * Math.ceil(chunks / groupWidth) * k : 0;
    return { steps, regionEntries: regionB + secondRegion };
  }
}

/** Decodes `rows` topK records (k entries each) starting at word `offsetWords` of a read-back copy. */
export function parseTopK(words: Uint32Array, offsetWords: number, rows: number, k: number): RowTopK[] {
  const floats = new Float32Array(words.buffer, words.byteOffset, words.length);
  const out: RowTopK[] = [];
  for (let r = 0; r < rows; r++) {
    const o = offsetWords + r * topKRecordWords(k);
    const count = words[o] ?? 0;
    if (count > k) throw new Error(`topK record of row ${r} claims ${count} entries for k = ${k}`);
    out.push({
      topIds: Array.from(words.subarray(o + 1, o + 1 + count)),
      topLogits: Array.from(floats.subarray(o + 1 + k, o + 1 + k + count)),
    });
  }
  return out;
}

function buildPipelines(device: GPUDevice, workgroupSize: number): Pipelines {
  const module = device.createShaderModule({ label: 'topK.module', code: `${logitLoadWgsl}\n${topKWgsl}` });
  const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({
    binding,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type },
  });
  const layout = device.createBindGroupLayout({
    label: 'topK.bindGroupLayout',
    entries: [
      entry(0, 'read-only-storage'),
      { ...entry(1, 'uniform'), buffer: { type: 'uniform', hasDynamicOffset: true } },
      entry(2, 'storage'),
      entry(3, 'storage'),
    ],
  });
  const pipelineLayout = device.createPipelineLayout({ label: 'topK.pipelineLayout', bindGroupLayouts: [layout] });
  const pipeline = (entryPoint: string): GPUComputePipeline =>
    device.createComputePipeline({
      label: `topK.${entryPoint}`,
      layout: pipelineLayout,
      compute: { module, entryPoint, constants: { WG: workgroupSize } },
    });
  return { layout, chunkTop: pipeline('chunkTop'), mergeTop: pipeline('mergeTop'), rowTop: pipeline('rowTop') };
}
