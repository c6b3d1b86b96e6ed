import logitFusionWgsl from '../wgsl/logitFusion.wgsl?raw';
import { KernelArgumentError } from '../errors';
import { planProcessors } from '../processors/plan';
import { fusionConstants, validateFusionSpec } from '../reference/logitFusion';
import type { FusionSpec, LogitRowsGpu } from '../types';
import { cachedOnDevice } from './deviceCache';
import { GrowableBuffer } from './growableBuffer';
import { resolveWorkgroupSize, type KernelOptions } from './kernelOptions';
import { logitStagesWgsl } from './logitStages';
import { logitWindow } from './logitWindow';
import { bufferEntry, chunkCount, packParams, PARAMS_BYTES, sampleModuleSource, slotStride, type ParamValues } from './sampleParams';

/** Buffers of one logitFusion encode (one row). */
export interface LogitFusionIo {
  /** The expert row (rows = 1). */
  expert: LogitRowsGpu;
  /** The amateur row (rows = 1) when spec.contrast is set. */
  amateur: LogitRowsGpu | null;
  spec: FusionSpec;
  /** Receives the fused row: expert.validVocab f32 words. STORAGE. */
  y: GPUBuffer;
  /** Sampler state (STATE_WORDS u32): ymax, argmax, counts, contrast statistics. STORAGE. */
  state: GPUBuffer;
  /** Scratch of at least 6 words per chunk. STORAGE. */
  partials: GPUBuffer;
}

interface Pipelines {
  layout: GPUBindGroupLayout;
  contrastStats: GPUComputePipeline;
  contrastFinish: GPUComputePipeline;
  fuse: GPUComputePipeline;
  fuseFinish: GPUComputePipeline;
}

/** The fusion module's body: logitFusion.wgsl and the processors' stages (before sampleModuleSource). */
export const LOGIT_FUSION_WGSL = `${logitFusionWgsl}\n${logitStagesWgsl()}`;

/** Partial words per chunk the fusion needs in `partials`. */
export const FUSION_PARTIAL_WORDS = 6;

/**
 * GPU logit fusion of one row into a scratch buffer (mask → input processors → contrast →
 * sparse term → output processors, kernels/processors/index.ts), f32 or f16 input, bit-exact with logitFusionCpu. Also leaves the
 * row max, its lowest argmax id and the finite / bad counts in `state`.
 * Each instance owns its uniforms and lists: encode it at most once per queue submit.
 */
export class LogitFusion {
  readonly workgroupSize: number;
  private readonly pipelines: Pipelines;
  private readonly stride: number;
  private readonly params: GPUBuffer;
  private readonly lists: GrowableBuffer;

  constructor(
    private readonly device: GPUDevice,
    options: KernelOptions = {},
  ) {
    this.workgroupSize = resolveWorkgroupSize(device, options);
    this.pipelines = cachedOnDevice(device, `logitFusion/${this.workgroupSize}`, () => buildPipelines(device, this.workgroupSize));
    this.stride = slotStride(device);
    this.params = device.createBuffer({ label: 'logitFusion.params', size: this.stride, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.lists = new GrowableBuffer(device, 'logitFusion.lists', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
  }

  /** Records the fusion dispatches into `pass` (uniforms and lists via queue.writeBuffer). */
  encode(pass: GPUComputePassEncoder, io: LogitFusionIo): void {
    validateFusionSpec(io.spec);
    if (io.expert.rows !== 1) throw new KernelArgumentError('expert.rows', io.expert.rows, '1');
    if (io.spec.contrast && !io.amateur) throw new KernelArgumentError('amateur', io.amateur, 'a row when spec.contrast is set');
    const ew = logitWindow(this.device, io.expert);
    const aw = io.amateur ? logitWindow(this.device, io.amateur) : ew;
    const n = io.expert.validVocab;
    const chunks = chunkCount(n, this.workgroupSize);
    const plan = planProcessors(io.spec.processors);
    const { words, nHistory, nSparse, nAllow } = listWords(io.spec, n, plan.history);
    const lists = this.lists.ensure(words.byteLength);
    this.device.queue.writeBuffer(lists, 0, words);
    const k = fusionConstants(io.spec);
    const c = io.spec.contrast;
    const values: ParamValues = {
      base: ew.baseElem, n, isF16: io.expert.dtype === 'f16' ? 1 : 0, chunks,
      amBase: aw.baseElem, amValid: io.amateur?.validVocab ?? 0, amF16: io.amateur?.dtype === 'f16' ? 1 : 0,
      form: c === null ? 0 : c.form === 'logit' ? 1 : 2, nHistory, nSparse, nAllow, procOn: plan.on,
      pw0: plan.words[0], pw1: plan.words[1], pw2: plan.words[2], pw3: plan.words[3],
      onePlusBeta: k.onePlusBeta, beta: k.beta, invAmT: k.invAmateurT, logAlpha: k.logAlpha,
    };
    this.device.queue.writeBuffer(this.params, 0, packParams([values], this.stride));
    const amateur = io.amateur ?? io.expert;
    const bindGroup = this.device.createBindGroup({
      label: 'logitFusion.bindGroup',
      layout: this.pipelines.layout,
      entries: [
        { binding: 0, resource: { buffer: io.expert.buffer, offset: ew.offsetBytes, size: ew.sizeBytes } },
        { binding: 1, resource: { buffer: this.params, size: PARAMS_BYTES } },
        { binding: 2, resource: { buffer: amateur.buffer, offset: aw.offsetBytes, size: aw.sizeBytes } },
        { binding: 3, resource: { buffer: lists } },
        { binding: 4, resource: { buffer: io.y, size: n * 4 } },
        { binding: 5, resource: { buffer: io.state } },
        { binding: 6, resource: { buffer: io.partials } },
      ],
    });
    pass.setBindGroup(0, bindGroup, [0]);
    if (c) {
      pass.setPipeline(this.pipelines.contrastStats);
      pass.dispatchWorkgroups(chunks);
      pass.setPipeline(this.pipelines.contrastFinish);
      pass.dispatchWorkgroups(1);
    }
    pass.setPipeline(this.pipelines.fuse);
    pass.dispatchWorkgroups(chunks);
    pass.setPipeline(this.pipelines.fuseFinish);
    pass.dispatchWorkgroups(1);
  }

  /** Frees the uniform and list buffers (pipelines stay cached on the device). */
  dispose(): void {
    this.params.destroy();
    this.lists.dispose();
  }
}

/** lists = [sorted distinct history ids < n, when a stage reads them][sorted sparse ids][their f32 values][allow-bitmask words]. */
function listWords(spec: FusionSpec, n: number, history: boolean) {
  const seen = history ? [...new Set(spec.historyIds)].filter((id) => id < n).sort((a, b) => a - b) : [];
  const order = spec.sparseIds.map((id, i) => ({ id, v: spec.sparseValues[i]! })).filter((e) => e.id < n).sort((a, b) => a.id - b.id);
  const nAllow = spec.allowMask ? Math.ceil(n / 32) : 0;
  if (spec.allowMask && spec.allowMask.length < nAllow) throw new KernelArgumentError('allowMask', spec.allowMask.length, `at least ${nAllow} words (validVocab ${n})`);
  const words = new Uint32Array(Math.max(4, seen.length + 2 * order.length + nAllow));
  for (let w = 0; w < nAllow; w++) words[seen.length + 2 * order.length + w] = spec.allowMask![w]! >>> 0;
  const floats = new Float32Array(words.buffer);
  words.set(seen, 0);
  order.forEach((e, j) => {
    words[seen.length + j] = e.id;
    floats[seen.length + order.length + j] = e.v;
  });
  return { words, nHistory: seen.length, nSparse: order.length, nAllow };
}

function buildPipelines(device: GPUDevice, workgroupSize: number): Pipelines {
  const module = device.createShaderModule({ label: 'logitFusion.module', code: sampleModuleSource(LOGIT_FUSION_WGSL, false) });
  const layout = device.createBindGroupLayout({
    label: 'logitFusion.bindGroupLayout',
    entries: [
      bufferEntry(0, 'read-only-storage'),
      bufferEntry(1, 'uniform', true),
      bufferEntry(2, 'read-only-storage'),
      bufferEntry(3, 'read-only-storage'),
      bufferEntry(4, 'storage'),
      bufferEntry(5, 'storage'),
      bufferEntry(6, 'storage'),
    ],
  });
  const pipelineLayout = device.createPipelineLayout({ label: 'logitFusion.pipelineLayout', bindGroupLayouts: [layout] });
  const pipeline = (entryPoint: string): GPUComputePipeline =>
    device.createComputePipeline({ label: `logitFusion.${entryPoint}`, layout: pipelineLayout, compute: { module, entryPoint, constants: { WG: workgroupSize } } });
  return { layout, contrastStats: pipeline('contrastStats'), contrastFinish: pipeline('contrastFinish'), fuse: pipeline('fuse'), fuseFinish: pipeline('fuseFinish') };
}
