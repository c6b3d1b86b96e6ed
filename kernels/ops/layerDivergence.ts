import layerDivergenceWgsl from '../wgsl/layerDivergence.wgsl?raw';
import { KernelArgumentError } from '../errors';
import type { LayerDivergence } from '../reference/layerDivergence';
import type { LogitRowsGpu } from '../types';
import { cachedOnDevice } from './deviceCache';
import { GrowableBuffer } from './growableBuffer';
import { logitWindow } from './logitWindow';

interface Pipelines {
  layout: GPUBindGroupLayout;
  main: GPUComputePipeline;
}

/** The divergences of some premature rows from a mature row, and the bytes read back. */
export interface LayerDivergenceResult {
  /** One per requested row, in request order. */
  rows: LayerDivergence[];
  bytesRead: number;
}

/**
 * GPU DoLa divergences (kernels/wgsl/layerDivergence.wgsl; CPU reference
 * kernels/reference/layerDivergence.ts): for each requested premature row, the DoLa code's
 * ½[KL(M‖P) + KL(M‖Q)] / n and the textbook JSD, in one dispatch of one workgroup per row. Only
 * 8 bytes per row are read back. Float32 rows only. The instance keeps its uniform and scratch
 * buffers between calls (one decode step after another); calls must not overlap.
 */
export class LayerDivergenceOp {
  private readonly pipelines: Pipelines;
  private readonly params: GPUBuffer;
  private readonly ids: GrowableBuffer;
  private readonly out: GrowableBuffer;
  private readonly staging: GrowableBuffer;

  constructor(private readonly device: GPUDevice) {
    this.pipelines = cachedOnDevice(device, 'layerDivergence', () => buildPipelines(device));
    this.params = device.createBuffer({ label: 'layerDivergence.params', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.ids = new GrowableBuffer(device, 'layerDivergence.rows', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.out = new GrowableBuffer(device, 'layerDivergence.out', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    this.staging = new GrowableBuffer(device, 'layerDivergence.staging', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /** Frees the uniform and scratch buffers (the pipeline stays cached on the device). */
  dispose(): void {
    this.params.destroy();
    this.ids.dispose();
    this.out.dispose();
    this.staging.dispose();
  }

  /**
   * Divergences of `premature` rows `rows` (indices into its rows) from the single row `mature`,
   * over the first `mature.validVocab` entries (both layouts must agree on it).
   */
  async run(mature: LogitRowsGpu, premature: LogitRowsGpu, rows: readonly number[]): Promise<LayerDivergenceResult> {
    if (mature.dtype !== 'f32' || premature.dtype !== 'f32') throw new KernelArgumentError('dtype', `${mature.dtype}/${premature.dtype}`, 'f32 rows (DoLa reads float32 layer logits)');
    if (mature.rows !== 1) throw new KernelArgumentError('mature.rows', mature.rows, 'exactly 1');
    if (mature.validVocab !== premature.validVocab) throw new KernelArgumentError('premature.validVocab', premature.validVocab, `the mature row's ${mature.validVocab}`);
    if (rows.length === 0 || rows.some((r) => !Number.isInteger(r) || r < 0 || r >= premature.rows)) {
      throw new KernelArgumentError('rows', JSON.stringify(rows), `1 or more row indices in [0, ${premature.rows})`);
    }
    const wa = logitWindow(this.device, mature);
    const wb = logitWindow(this.device, premature);
    const d = this.device;
    const ids = this.ids.ensure(rows.length * 4);
    const outBytes = rows.length * 8;
    const out = this.out.ensure(outBytes);
    const staging = this.staging.ensure(outBytes);
    d.queue.writeBuffer(this.params, 0, new Uint32Array([wa.baseElem, wb.baseElem, premature.rowStrideElems, mature.validVocab]));
    d.queue.writeBuffer(ids, 0, Uint32Array.from(rows));
    d.pushErrorScope('validation');
    let scope: Promise<GPUError | null>;
    try {
      const bindGroup = d.createBindGroup({
        label: 'layerDivergence.bindGroup',
        layout: this.pipelines.layout,
        entries: [
          { binding: 0, resource: { buffer: mature.buffer, offset: wa.offsetBytes, size: wa.sizeBytes } },
          { binding: 1, resource: { buffer: premature.buffer, offset: wb.offsetBytes, size: wb.sizeBytes } },
          { binding: 2, resource: { buffer: this.params } },
          { binding: 3, resource: { buffer: ids } },
          { binding: 4, resource: { buffer: out } },
        ],
      });
      const encoder = d.createCommandEncoder({ label: 'layerDivergence.encoder' });
      const pass = encoder.beginComputePass({ label: 'layerDivergence.pass' });
      pass.setPipeline(this.pipelines.main);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(rows.length);
      pass.end();
      encoder.copyBufferToBuffer(out, 0, staging, 0, outBytes);
      d.queue.submit([encoder.finish({ label: 'layerDivergence.commands' })]);
    } finally {
      scope = d.popErrorScope();
    }
    const mapped = staging.mapAsync(GPUMapMode.READ, 0, outBytes).then(
      () => null,
      (e: unknown) => e,
    );
    const [gpuError, mapError] = await Promise.all([scope, mapped]);
    if (gpuError || mapError) {
      if (!mapError) staging.unmap();
      throw new Error(`layerDivergence: WebGPU rejected the dispatch: ${gpuError ? gpuError.message : String(mapError)}`);
    }
    const f = new Float32Array(staging.getMappedRange(0, outBytes).slice(0));
    staging.unmap();
    return { rows: rows.map((_, j) => ({ code: f[2 * j]!, jsd: f[2 * j + 1]! })), bytesRead: outBytes };
  }
}

function buildPipelines(device: GPUDevice): Pipelines {
  const module = device.createShaderModule({ label: 'layerDivergence.module', code: layerDivergenceWgsl });
  const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } });
  const layout = device.createBindGroupLayout({
    label: 'layerDivergence.bindGroupLayout',
    entries: [entry(0, 'read-only-storage'), entry(1, 'read-only-storage'), entry(2, 'uniform'), entry(3, 'read-only-storage'), entry(4, 'storage')],
  });
  const main = device.createComputePipeline({
    label: 'layerDivergence.main',
    layout: device.createPipelineLayout({ label: 'layerDivergence.pipelineLayout', bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: 'main' },
  });
  return { layout, main };
}
