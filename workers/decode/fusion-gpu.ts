import type { KeptGpuRow } from '../../kernels/ops/sample';
import { MAX_BATCH_ROWS, SampleRow, type ExtraEncode, type RecordStore, type SampleDrawResult, type SampleRowRequest, type SampleRowResult, type StoredRecord } from '../../kernels/ops/sampleRow';
import { LogitscopeError } from '../errors';
import type { Logits } from '../model/logits';
import type { FusionHost, ProcessedDistribution, ProcessedRow, ProcessRowsItem, ResidualSample, RowDraw } from './fusion';
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

/** The kernel request of one item (the raw summary first when its sparse scale is a function). */
async function requestOf(host: FusionHost, logits: Logits, item: ProcessRowsItem): Promise<{ req: SampleRowRequest; sampling: boolean }> {
  const { row, opts: o } = item;
  const expert = logits.gpuRows(row, 1);
  if (!expert) throw new LogitscopeError('internal', 'processRow: GPU logits without a GPU device');
  const raw0 = needsRawFirst(o) ? ((await host.readout.rows(logits, row, 1, o.k ?? 10))[0] ?? null) : null;
  const plan = planRow(o, raw0);
  const amateur = o.contrast ? o.contrast.logits.gpuRows(o.contrast.row, 1) : null;
  const req = { expert, amateur, fusion: plan.fusion, warp: plan.warp, uniform: plan.sampling ? o.uniform : null, k: plan.k, tokenIds: plan.tokenIds, keep: Boolean(o.keep) };
  return { req, sampling: plan.sampling };
}

/** Sampler requests of one batch, in order (each may need its own readback for a sparse scale). */
async function planBatch(host: FusionHost, logits: Logits, batch: readonly ProcessRowsItem[]): Promise<{ req: SampleRowRequest; sampling: boolean }[]> {
  const planned: { req: SampleRowRequest; sampling: boolean }[] = [];
  for (const item of batch) planned.push(await requestOf(host, logits, item));
  return planned;
}

/**
 * processRows on WebGPU: MAX_BATCH_ROWS rows per submit and small readback (plus one readback per
 * row whose sparse scale is a function). On an error, distributions already kept are disposed.
 */
export async function processRowsGpu(host: FusionHost, logits: Logits, items: readonly ProcessRowsItem[]): Promise<{ rows: ProcessedRow[]; bytes: number }> {
  const gpu = host.gpu;
  if (!gpu) throw new LogitscopeError('internal', 'processRow: GPU logits without a GPU device');
  const rows: ProcessedRow[] = [];
  let bytes = 0;
  try {
    for (let at = 0; at < items.length; at += MAX_BATCH_ROWS) {
      const planned = await planBatch(host, logits, items.slice(at, at + MAX_BATCH_ROWS));
      const results = await engine(gpu).readMany(planned.map((p) => p.req));
      results.forEach((r, i) => {
        rows.push(toProcessedRow(r, planned[i]!.sampling));
        bytes += r.bytesRead;
      });
    }
  } catch (e) {
    for (const r of rows) r.distribution?.dispose();
    throw wrap(e);
  }
  return { rows, bytes };
}

/** Where each GPU draw's raw summary waits (read by readDrawnRawGpu). */
const storedOf = new WeakMap<RowDraw, StoredRecord>();

function toRowDraw(r: SampleDrawResult, sampled: boolean): RowDraw {
  const processedProb = r.weight / r.kept.mass;
  const d: RowDraw = { id: r.id, sampled, processedProb, processedLogprob: Math.log(processedProb), raw: null };
  storedOf.set(d, r.stored);
  return d;
}

/**
 * drawRows on WebGPU: MAX_BATCH_ROWS rows per submit, DRAW_WORDS words read back per row; the raw
 * summaries stay in `store`. `extra` goes into the first batch's command encoder.
 */
export async function drawRowsGpu(host: FusionHost, logits: Logits, items: readonly ProcessRowsItem[], store: RecordStore, extra?: ExtraEncode): Promise<{ draws: RowDraw[]; bytes: number }> {
  const gpu = host.gpu;
  if (!gpu) throw new LogitscopeError('internal', 'drawRows: GPU logits without a GPU device');
  const draws: RowDraw[] = [];
  let bytes = 0;
  try {
    for (let at = 0; at < items.length; at += MAX_BATCH_ROWS) {
      const planned = await planBatch(host, logits, items.slice(at, at + MAX_BATCH_ROWS));
      const results = await engine(gpu).drawMany(
        planned.map((p) => p.req),
        store,
        at === 0 ? extra : undefined,
      );
      results.forEach((r, i) => {
        draws.push(toRowDraw(r, planned[i]!.sampling));
        bytes += r.bytesRead;
      });
    }
  } catch (e) {
    throw wrap(e);
  }
  return { draws, bytes };
}

/** readDrawnRaw on WebGPU: one submit (with `extra` first) and one readback for all `draws`. */
export async function readDrawnRawGpu(host: FusionHost, draws: readonly RowDraw[], extra?: ExtraEncode): Promise<{ rows: RowSummary[]; bytes: number }> {
  const gpu = host.gpu;
  if (!gpu) throw new LogitscopeError('internal', 'readDrawnRaw: no GPU device');
  const stored = draws.map((d, i) => {
    const s = storedOf.get(d);
    if (!s) throw new LogitscopeError('internal', `readDrawnRaw: draws[${i}] was not drawn on this device by drawRows`);
    return s;
  });
  try {
    const r = await engine(gpu).readStored(stored, extra);
    const rows = r.rows.map((x) => ({ max: x.max, lse: x.lse, entropy: x.entropy, topIds: x.topIds, topLogits: x.topLogits, tokenLogit: x.tokenLogit }));
    return { rows, bytes: r.bytesRead };
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
