import type { FusionSpec, WarpSpec } from '../../kernels/types';
import { isSampling, processorValues, warpOf } from '../processors/chain';
import { mirostatOn, mirostatWarp } from '../processors/mirostat';
import type { ProcessRowOptions } from './fusion';
import type { RowSummary } from './readout';

/** The kernel-level description of one processRow call. */
export interface RowPlan {
  fusion: FusionSpec;
  /** Warpers when sampling, null for argmax. */
  warp: WarpSpec | null;
  /** True when the warpers apply and `uniform` is drawn from. */
  sampling: boolean;
  k: number;
  tokenIds: number[];
}

/** Default top-k size of the summaries. */
export const DEFAULT_SUMMARY_K = 10;

/** True when the sparse term's scale needs the raw summary first (one extra readback on the GPU). */
export function needsRawFirst(o: ProcessRowOptions): boolean {
  return typeof o.sparse?.scale === 'function';
}

/** Translate validated options (and, for a scale function, the raw summary) into kernel specs. */
export function planRow(o: ProcessRowOptions, raw: RowSummary | null): RowPlan {
  const sampling = o.uniform !== null && isSampling(o.chain);
  const c = o.chain;
  const s = o.sparse;
  let scale = 0;
  if (s) {
    if (typeof s.scale === 'number') scale = s.scale;
    else if (raw) scale = s.scale(raw);
    else throw new Error('planRow: a sparse scale function needs the raw summary');
    if (!Number.isFinite(scale)) throw new Error(`sparse.scale evaluated to ${scale}; it must be finite`);
  }
  const fusion: FusionSpec = {
    historyIds: o.history,
    processors: processorValues(c, sampling),
    contrast: o.contrast ? { form: o.contrast.form, beta: o.contrast.beta, alpha: o.contrast.alpha, amateurTemperature: o.contrast.amateurTemperature } : null,
    sparseIds: s ? [...s.ids] : [],
    sparseValues: s ? s.values.map((v) => scale * v) : [],
  };
  if (o.allow) fusion.allowMask = o.allow;
  let warp: WarpSpec | null = null;
  if (sampling && mirostatOn(c)) {
    // Mirostat v2 replaces the warpers: the epsilon stage at ε = 2^−μ (workers/processors/mirostat.ts).
    if (o.mirostatMu === undefined) throw new Error('planRow: a Mirostat row needs its μ (processRows sets mirostatMu)');
    warp = mirostatWarp(o.mirostatMu);
  } else if (sampling) warp = warpOf(c);
  return { fusion, warp, sampling, k: o.k ?? DEFAULT_SUMMARY_K, tokenIds: o.tokenIds ? [...o.tokenIds] : [] };
}

/** Σ max(0, p − q) from the residual's integer total (R_i ≈ Wp·Wq/M · (p_i − q_i)). */
export function residualMassFrom(residualWeight: number, massP: number, massQ: number): number {
  return (residualWeight * Math.max(massP, massQ)) / (massP * massQ);
}
