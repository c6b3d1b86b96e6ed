import { NonFiniteRowError } from '../errors';
import type { KeptRowSummary, WarpSpec } from '../types';
import { weightOf } from './sampleExp';
import { drawTarget, residualCoefficients, residualWeight, uniformToU32 } from './sampleMath';
import { applyWarpers, validateWarp } from './warpers';

/** A processed row after the warpers (CPU): removed entries are -inf; weights are recomputed from y. */
export interface KeptRow extends KeptRowSummary {
  /** Final processed logits (f32), -inf where masked or removed. */
  y: Float32Array;
}

/** What the residual draw returns. */
export interface ResidualDraw {
  id: number;
  /** Σ of the residual weights R_i (0 → fell back to p). */
  residualWeight: number;
  /** Weight of `id` in the distribution it was drawn from, and that distribution's total. */
  weight: number;
  total: number;
  fallback: boolean;
}

function rowMax(y: Float32Array): { ymax: number; argmax: number } {
  let ymax = -Infinity;
  let argmax = -1;
  let finite = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      if (v !== -Infinity) throw new NonFiniteRowError(0, 'nan-or-inf', `entry ${i} is ${v}`);
      continue;
    }
    finite++;
    if (v > ymax) {
      ymax = v;
      argmax = i;
    }
  }
  if (finite === 0) throw new NonFiniteRowError(0, 'no-finite', `all ${y.length} entries are -inf`);
  return { ymax, argmax };
}

/**
 * CPU reference of the warpers on a fused row (the stages of kernels/warpers/index.ts in Hugging
 * Face's order, min_tokens_to_keep 1; warp null = greedy, nothing removed) and of the kept row's
 * integer mass. Throws NonFiniteRowError for a row without finite entries or with NaN / +inf.
 */
export function keepCpu(y: Float32Array, warp: WarpSpec | null): KeptRow {
  if (warp) validateWarp(warp);
  const { ymax, argmax } = rowMax(y);
  const keep = new Uint8Array(y.length);
  const w = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    keep[i] = y[i] === -Infinity ? 0 : 1;
    w[i] = weightOf(y[i]!, ymax);
  }
  if (warp) applyWarpers({ y, ymax, w, keep }, warp);
  const out = new Float32Array(y.length);
  let kept = 0;
  let mass = 0;
  for (let i = 0; i < y.length; i++) {
    out[i] = keep[i] ? y[i]! : -Infinity;
    if (keep[i]) {
      kept++;
      mass += w[i]!;
    }
  }
  return { y: out, ymax, argmax, kept, mass };
}

/** Integer weight of entry `id` of a kept row (0 when removed or out of range). */
export function keptWeight(row: KeptRow, id: number): number {
  return id < row.y.length ? weightOf(row.y[id]!, row.ymax) : 0;
}

/** Inverse CDF over `weight(i)` in id order: the first id whose cumulative weight exceeds target. */
function walk(n: number, weight: (i: number) => number, target: number): number {
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += weight(i);
    if (cum > target) return i;
  }
  throw new Error(`inverse CDF target ${target} beyond the total mass ${cum}`);
}

/** CPU reference of the draw: one uniform in [0, 1), inverse CDF over the kept weights in token-id order. */
export function drawCpu(row: KeptRow, uniform: number): number {
  const target = drawTarget(uniformToU32(uniform), row.mass);
  return walk(row.y.length, (i) => keptWeight(row, i), target);
}

/**
 * CPU reference of the residual draw (speculative sampling, docs/algorithms.md#sampling-verification): one uniform over
 * R_i = max(0, w_p,i·A − w_q,i·B) / 2^24 ∝ max(0, p_i − q_i), in id order; falls back to p when ΣR = 0.
 */
export function residualCpu(p: KeptRow, q: KeptRow, uniform: number): ResidualDraw {
  const u = uniformToU32(uniform);
  const { a, b } = residualCoefficients(p.mass, q.mass);
  const n = Math.max(p.y.length, q.y.length);
  const r = (i: number) => residualWeight(keptWeight(p, i), keptWeight(q, i), a, b);
  let total = 0;
  for (let i = 0; i < n; i++) total += r(i);
  if (total === 0) {
    const id = walk(p.y.length, (i) => keptWeight(p, i), drawTarget(u, p.mass));
    return { id, residualWeight: 0, weight: keptWeight(p, id), total: p.mass, fallback: true };
  }
  const id = walk(n, r, drawTarget(u, total));
  return { id, residualWeight: total, weight: r(id), total, fallback: false };
}
