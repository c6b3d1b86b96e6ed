import type { KeptGpuRow } from '../../kernels/ops/sample';
import { SampleRow, type SampleRowResult } from '../../kernels/ops/sampleRow';
import { LogitscopeError } from '../errors';
import type { Logits } from '../model/logits';
import type { FusionHost, ProcessedDistribution, ProcessedRow, ProcessRowOptions, ResidualSample } from './fusion';
import { needsRawFirst, planRow, residualMassFrom } from './fusion-spec';
import type { RowSummary } from './readout';

/** One SampleRow engine per device, shared by every panel (calls are serialised inside). */
const engines = new WeakMap<GPUDevice, SampleRow>();

function engine(device: GPUDevice): SampleRow {
  let e = engines.get(device);
  if (!e) {
    e = new SampleRow(device);
    engines.set(device, e);
  }
  return e;
}

/** Frees the device's fusion engine (scratch buffers); a later call builds a new one. */
export function disposeFusionEngine(device: GPUDevice): void {
  engines.get(device)?.dispose();
  engines.delete(device);
}

/** A processed row kept on the GPU for residual draws. */
export class GpuDistribution implements ProcessedDistribution {
  private alive = true;

  constructor(readonly row: KeptGpuRow) {}

  get width(): number {
    return this.row.width;
  }

  dispose(): void {
    if (this.alive) this.row.buffer.destroy();
    this.alive = false;
  }
}

function wrap(e: unknown): LogitscopeError {
  if (e instanceof LogitscopeError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new LogitscopeError(/finite|NaN/i.test(msg) ? 'model-invalid' : 'internal', `Processing the logits failed: ${msg}`);
}

function toProcessedRow(r: SampleRowResult, sampled: boolean): ProcessedRow {
  const raw: RowSummary = { max: r.raw.max, lse: r.raw.lse, entropy: r.raw.entropy, topIds: r.raw.topIds, topLogits: r.raw.topLogits, tokenLogit: r.raw.tokenLogit };
  const processedProb = r.weight / r.kept.mass;
  return {
    raw,
    id: r.id,
    sampled,
    processedProb,
    processedLogprob: Math.log(processedProb),
    processedEntropy: r.processed.entropy,
    kept: r.kept.kept,
    processedTop: { ids: r.processed.topIds, logits: r.processed.topLogits },
    tokenProcessedProbs: r.tokenWeights.map((w) => w / r.kept.mass),
    distribution: r.distribution ? new GpuDistribution(r.distribution) : null,
  };
}

/** processRow on WebGPU: one submit, one small readback (plus one for a sparse scale function). */
export async function processRowGpu(host: FusionHost, logits: Logits, row: number, o: ProcessRowOptions): Promise<{ row: ProcessedRow; bytes: number }> {
  const gpu = host.gpu;
  const expert = logits.gpuRows(row, 1);
  if (!gpu || !expert) throw new LogitscopeError('internal', 'processRow: GPU logits without a GPU device');
  const raw0 = needsRawFirst(o) ? ((await host.readout.rows(logits, row, 1, o.k ?? 10))[0] ?? null) : null;
  const plan = planRow(o, raw0);
  const amateur = o.contrast ? o.contrast.logits.gpuRows(o.contrast.row, 1) : null;
  try {
    const r = await engine(gpu).read({ expert, amateur, fusion: plan.fusion, warp: plan.warp, uniform: plan.sampling ? o.uniform : null, k: plan.k, tokenIds: plan.tokenIds, keep: Boolean(o.keep) });
    return { row: toProcessedRow(r, plan.sampling), bytes: r.bytesRead };
  } catch (e) {
    throw wrap(e);
  }
}

/** sampleResidual on WebGPU (distributions from processRow({keep: true}) on the same device). */
export async function sampleResidualGpu(host: FusionHost, p: ProcessedDistribution, q: ProcessedDistribution, u: number): Promise<{ sample: ResidualSample; bytes: number }> {
  if (!(p instanceof GpuDistribution) || !(q instanceof GpuDistribution)) throw new LogitscopeError('internal', 'sampleResidual: p and q must be GPU distributions on the WebGPU backend');
  try {
    const r = await engine(host.gpu!).residual(p.row, q.row, u);
    const sample: ResidualSample = { id: r.id, residualMass: r.fallback ? 0 : residualMassFrom(r.residualWeight, p.row.mass, q.row.mass), fallback: r.fallback, prob: r.weight / r.total };
    return { sample, bytes: r.bytesRead };
  } catch (e) {
    throw wrap(e);
  }
}
