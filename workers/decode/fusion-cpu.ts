import { logitFusionCpu, type CpuRow } from '../../kernels/reference/logitFusion';
import { readRowsFast } from '../../kernels/reference/rowReadoutFast';
import { drawCpu, keepCpu, keptWeight, residualCpu, type KeptRow } from '../../kernels/reference/sample';
import type { Logits } from '../model/logits';
import type { ProcessedDistribution, ProcessedRow, ProcessRowOptions, ProcessRowsItem, ResidualSample } from './fusion';
import { planRow, residualMassFrom } from './fusion-spec';
import type { RowSummary } from './readout';

/** A kept processed row on the CPU (WASM backend). */
export class CpuDistribution implements ProcessedDistribution {
  constructor(readonly row: KeptRow) {}

  get width(): number {
    return this.row.y.length;
  }

  dispose(): void {}
}

function cpuRow(logits: Logits, row: number): CpuRow {
  const data = logits.cpuData();
  if (!data) throw new Error('fusion-cpu: logits are not on the CPU');
  const start = row * logits.width;
  return { data: data.subarray(start, start + logits.width), validVocab: logits.validVocab };
}

function rawSummary(row: CpuRow, k: number): RowSummary {
  const layout = { offsetElems: 0, rowStrideElems: row.data.length, rowLength: row.data.length, rows: 1, validVocab: row.validVocab };
  const r = readRowsFast(row.data, layout, { k }).rows[0]!;
  return { max: r.max, lse: r.lse, entropy: r.entropy, topIds: r.topIds, topLogits: r.topLogits, tokenLogit: null };
}

/** Processed-row summary of a kept row: entropy (nats) and top-k with the reported-logit offset. */
export function keptSummary(kept: KeptRow, k: number, offset: number) {
  const layout = { offsetElems: 0, rowStrideElems: kept.y.length, rowLength: kept.y.length, rows: 1, validVocab: kept.y.length };
  const r = readRowsFast(kept.y, layout, { k }).rows[0]!;
  return { entropy: r.entropy, top: { ids: r.topIds, logits: r.topLogits.map((z) => z + offset) } };
}

/** processRow on the WASM backend: the CPU twins of the GPU kernels (sampling integer-exact; row summaries via readRowsFast). */
export function processRowCpu(logits: Logits, row: number, o: ProcessRowOptions): { row: ProcessedRow; bytes: number } {
  const expert = cpuRow(logits, row);
  const k = o.k ?? 10;
  const raw = rawSummary(expert, k);
  const plan = planRow(o, raw);
  const amateur = o.contrast ? cpuRow(o.contrast.logits, o.contrast.row) : undefined;
  const fused = logitFusionCpu(expert, plan.fusion, amateur);
  const kept = keepCpu(fused.y, plan.warp);
  const id = plan.sampling ? drawCpu(kept, o.uniform!) : kept.argmax;
  raw.tokenLogit = expert.data[id]!;
  const processedProb = keptWeight(kept, id) / kept.mass;
  const summary = keptSummary(kept, plan.k, fused.offset);
  const result: ProcessedRow = {
    raw,
    id,
    sampled: plan.sampling,
    processedProb,
    processedLogprob: Math.log(processedProb),
    processedEntropy: summary.entropy,
    kept: kept.kept,
    processedTop: summary.top,
    tokenProcessedProbs: plan.tokenIds.map((t) => keptWeight(kept, t) / kept.mass),
    distribution: o.keep ? new CpuDistribution(kept) : null,
  };
  const bytes = 4 * (expert.validVocab + (amateur?.validVocab ?? 0));
  return { row: result, bytes };
}

/** processRows on the WASM backend: each row as processRowCpu, bytes summed. */
export function processRowsCpu(logits: Logits, items: readonly ProcessRowsItem[]): { rows: ProcessedRow[]; bytes: number } {
  const rows: ProcessedRow[] = [];
  let bytes = 0;
  for (const item of items) {
    const r = processRowCpu(logits, item.row, item.opts);
    rows.push(r.row);
    bytes += r.bytes;
  }
  return { rows, bytes };
}

/** sampleResidual on the WASM backend. */
export function sampleResidualCpu(p: ProcessedDistribution, q: ProcessedDistribution, uniform: number): { sample: ResidualSample; bytes: number } {
  if (!(p instanceof CpuDistribution) || !(q instanceof CpuDistribution)) throw new Error('sampleResidual: p and q must be CPU distributions on the WASM backend');
  const d = residualCpu(p.row, q.row, uniform);
  const mass = d.fallback ? 0 : residualMassFrom(d.residualWeight, p.row.mass, q.row.mass);
  const sample: ResidualSample = { id: d.id, residualMass: mass, fallback: d.fallback, prob: d.weight / d.total };
  return { sample, bytes: 4 * Math.max(p.width, q.width) };
}
