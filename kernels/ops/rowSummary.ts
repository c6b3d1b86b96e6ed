import logitLoadWgsl from '../wgsl/logitLoad.wgsl?raw';
import softmaxAccWgsl from '../wgsl/softmaxAcc.wgsl?raw';
import rowSummaryWgsl from '../wgsl/rowSummary.wgsl?raw';
import { STATS_RECORD_WORDS, topKRecordWords } from '../limits';
import type { LogitRowsGpu, RowTopK } from '../types';
import { normalizeTokenIds, validateK } from '../validate';
import { cachedOnDevice } from './deviceCache';
import { GrowableBuffer } from './growableBuffer';
import { chunkElems, requireOutput, resolveWorkgroupSize, type KernelOptions } from './kernelOptions';
import { logitWindow } from './logitWindow';

/** Scratch buffers of one encode: chunk partials, per-row candidate lists and per-row state. */
interface Scratch {
  partials: GPUBuffer;
  cands: GPUBuffer;
  state: GPUBuffer;
}

/** Buffers of one rowSummary encode. */
export interface RowSummaryIo {
  src: LogitRowsGpu;
  /** Entries kept per row, in [1, MAX_K]. */
  k: number;
  /** One token id per row (null = none), each in [0, rowLength). */
  tokenIds?: readonly (number | null)[];
  /** STORAGE buffer receiving the statistics records (rows × STATS_RECORD_WORDS words at `statsOffsetWords`) and the top-k records (rows × topKRecordWords(k) words at `topOffsetWords`). */
  out: GPUBuffer;
  statsOffsetWords: number;
  topOffsetWords: number;
}

interface Pipelines {
  layout: GPUBindGroupLayout;
  chunks: GPUComputePipeline;
  gather: GPUComputePipeline;
  finish: GPUComputePipeline;
}

const PARTIAL_BYTES = 32; // struct Partial: m, s, t, count, bad, bestKey, bestId, pad
const META_WORDS = 8;
const CANDIDATE_BYTES = 8 * 512; // CAP (key, id) pairs per row
const STATE_BYTES = 4 * 68; // STATE_WORDS per row

/**
 * Softmax statistics and top-k of every row in three dispatches that read each logit about once:
 * SoftmaxStats' statistics records (bit-identical) and top-k records [count, ids × k, logits × k]
 * equal to topKCpu's. The k best chunk maxima bound the top-k, so only the entries above the k-th
 * best maximum in those k chunks are ranked (see rowSummary.wgsl). Before this op, a separate top-k
 * kernel radix-selected every chunk and merged the lists (kernel time 273 vs 182 µs for a
 * 151,936-entry row on an H200, docs/benchmarks-gpu.md).
 * Each instance owns its metadata and scratch buffers: encode it at most once per queue submit.
 */
export class RowSummary {
  readonly workgroupSize: number;
  private readonly pipelines: Pipelines;
  private readonly meta: GrowableBuffer;
  private readonly partials: GrowableBuffer;
  private readonly cands: GrowableBuffer;
  private readonly state: GrowableBuffer;
  private metaWords = new Uint32Array(META_WORDS + 64);
  private bound: { src: GPUBuffer; offset: number; size: number; meta: GPUBuffer; scratch: Scratch; out: GPUBuffer; group: GPUBindGroup } | null = null;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.workgroupSize = resolveWorkgroupSize(device, options);
    this.pipelines = cachedOnDevice(device, `rowSummary/${this.workgroupSize}`, () => buildPipelines(device, this.workgroupSize));
    this.meta = new GrowableBuffer(device, 'rowSummary.meta', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.partials = new GrowableBuffer(device, 'rowSummary.partials', GPUBufferUsage.STORAGE);
    this.cands = new GrowableBuffer(device, 'rowSummary.candidates', GPUBufferUsage.STORAGE);
    this.state = new GrowableBuffer(device, 'rowSummary.state', GPUBufferUsage.STORAGE);
  }

  /** Records the three dispatches into `pass` (writes its metadata with one queue.writeBuffer; never submits). */
  encode(pass: GPUComputePassEncoder, io: RowSummaryIo): void {
    const { src } = io;
    const k = validateK(io.k);
    const window = logitWindow(this.device, src);
    const ids = normalizeTokenIds(io.tokenIds, src);
    requireOutput(io.out, io.statsOffsetWords, src.rows * STATS_RECORD_WORDS);
    requireOutput(io.out, io.topOffsetWords, src.rows * topKRecordWords(k));
    const chunks = Math.ceil(src.validVocab / chunkElems(this.workgroupSize));
    const words = META_WORDS + src.rows;
    if (this.metaWords.length < words) this.metaWords = new Uint32Array(words);
    const m = this.metaWords;
    m[0] = window.baseElem;
    m[1] = src.rowStrideElems;
    m[2] = src.validVocab;
    m[3] = chunks;
    m[4] = src.dtype === 'f16' ? 1 : 0;
    m[5] = k;
    m[6] = io.statsOffsetWords;
    m[7] = io.topOffsetWords;
    m.set(ids, META_WORDS);
    const meta = this.meta.ensure(words * 4);
    const scratch: Scratch = {
      partials: this.partials.ensure(src.rows * chunks * PARTIAL_BYTES),
      cands: this.cands.ensure(src.rows * CANDIDATE_BYTES),
      state: this.state.ensure(src.rows * STATE_BYTES),
    };
    this.device.queue.writeBuffer(meta, 0, m, 0, words);
    pass.setBindGroup(0, this.bindGroup(src.buffer, window.offsetBytes, window.sizeBytes, meta, scratch, io.out));
    pass.setPipeline(this.pipelines.chunks);
    pass.dispatchWorkgroups(chunks, src.rows);
    pass.setPipeline(this.pipelines.gather);
    pass.dispatchWorkgroups(k, src.rows);
    pass.setPipeline(this.pipelines.finish);
    pass.dispatchWorkgroups(src.rows);
  }

  /** Frees the metadata and scratch buffers (pipelines stay cached on the device). */
  dispose(): void {
    this.meta.dispose();
    this.partials.dispose();
    this.cands.dispose();
    this.state.dispose();
    this.bound = null;
  }

  /** The bind group of the last encode, reused while every bound buffer and range is the same. */
  private bindGroup(src: GPUBuffer, offset: number, size: number, meta: GPUBuffer, scratch: Scratch, out: GPUBuffer): GPUBindGroup {
    const b = this.bound;
    const same = b && b.src === src && b.offset === offset && b.size === size && b.meta === meta && b.out === out;
    if (same && b.scratch.partials === scratch.partials && b.scratch.cands === scratch.cands && b.scratch.state === scratch.state) return b.group;
    const group = this.device.createBindGroup({
      label: 'rowSummary.bindGroup',
      layout: this.pipelines.layout,
      entries: [
        { binding: 0, resource: { buffer: src, offset, size } },
        { binding: 1, resource: { buffer: meta } },
        { binding: 2, resource: { buffer: scratch.partials } },
        { binding: 3, resource: { buffer: out } },
        { binding: 4, resource: { buffer: scratch.cands } },
        { binding: 5, resource: { buffer: scratch.state } },
      ],
    });
    this.bound = { src, offset, size, meta, scratch, out, group };
    return group;
  }
}

/** Decodes `rows` top-k records (k entries each) starting at word `offsetWords` of a read-back copy. */
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
  const module = device.createShaderModule({ label: 'rowSummary.module', code: `${logitLoadWgsl}\n${softmaxAccWgsl}\n${rowSummaryWgsl}` });
  const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({
    binding,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type },
  });
  const layout = device.createBindGroupLayout({
    label: 'rowSummary.bindGroupLayout',
    entries: [entry(0, 'read-only-storage'), entry(1, 'read-only-storage'), entry(2, 'storage'), entry(3, 'storage'), entry(4, 'storage'), entry(5, 'storage')],
  });
  const pipelineLayout = device.createPipelineLayout({ label: 'rowSummary.pipelineLayout', bindGroupLayouts: [layout] });
  const pipeline = (entryPoint: string): GPUComputePipeline =>
    device.createComputePipeline({
      label: `rowSummary.${entryPoint}`,
      layout: pipelineLayout,
      compute: { module, entryPoint, constants: { WG: workgroupSize } },
    });
  return { layout, chunks: pipeline('chunks'), gather: pipeline('gather'), finish: pipeline('finish') };
}
