import { KernelArgumentError, NonFiniteRowError } from '../errors';

/**
 * CPU reference of the weak-to-strong fusion kernels (kernels/ops/w2sFusion.ts, WGSL
 * kernels/wgsl/w2sFusion.wgsl; docs/algorithms.md#w2s). Three logit rows of one position share a
 * tokenizer: L (large base), S (small base), E (small expert). Over the common support
 * A = { i < valid : l_i, s_i, e_i all finite } (masked in all three), with Δ = e − s (f32):
 *
 *   job j < G:  z = f = l + α_j·Δ (f32), weight f − l  → lse_F(α_j), E_F(α_j)[f − l]
 *   job G:      z = e,              weight Δ    → lse_E, E_E[Δ]
 *   job G + 1:  z = s,              weight 0    → lse_S
 *
 * and from them the exact full-vocabulary KLs (w2sKls):
 *   KL(F(α) ‖ L) = E_F[f − l] − lse_F(α) + lse_F(0)   (F(0) = L: the grid starts at 0)
 * (f − l rather than α·Δ: the KL of the f32 fused row actually decoded from.)
 *   κ = KL(E ‖ S) = E_E[Δ] − lse_E + lse_S
 * The fused row is z_F(α) = l + α·Δ on A and −inf elsewhere (f32, the same rounding as the GPU).
 */

/** One row of f32 logits: `data[offset + i]`, entries i < valid are the row's (others masked). */
export interface W2sRowCpu {
  data: Float32Array;
  offsetElems: number;
}

/** One job's softmax statistics over the common support. */
export interface W2sJobStats {
  /** log Σ exp(z) over the support. */
  lse: number;
  /** Σ softmax(z)·w: the weighted mean of the job's weight. */
  mean: number;
}

/** The statistics of one position: per grid α, and the expert and small rows. */
export interface W2sStats {
  /** Per grid α (alphas[0] must be 0): lse_F(α) and E_F(α)[f − l]. */
  fused: W2sJobStats[];
  /** lse_E and E_E[Δ]. */
  expert: W2sJobStats;
  /** lse_S (mean 0). */
  small: W2sJobStats;
  /** Entries in the common support. */
  support: number;
}

/** The KLs of a position (nats, clamped at 0 against rounding). */
export interface W2sKls {
  /** KL(softmax z_F(α_j) ‖ softmax z_L) per grid α. */
  kls: number[];
  /** κ = KL(softmax z_E ‖ softmax z_S). */
  kappa: number;
}

/** Most grid points one position evaluates (α ∈ {0, 0.1, …, 3.1}). */
export const W2S_MAX_ALPHAS = 32;

/** Checks a grid: 1 to W2S_MAX_ALPHAS finite values, the first exactly 0. */
export function validateAlphas(alphas: readonly number[]): void {
  if (!Array.isArray(alphas) || alphas.length < 1 || alphas.length > W2S_MAX_ALPHAS) {
    throw new KernelArgumentError('alphas', alphas, `an array of 1 to ${W2S_MAX_ALPHAS} values`);
  }
  alphas.forEach((a, j) => {
    if (typeof a !== 'number' || !Number.isFinite(a)) throw new KernelArgumentError(`alphas[${j}]`, a, 'a finite number');
  });
  if (alphas[0] !== 0) throw new KernelArgumentError('alphas[0]', alphas[0], '0 (KL(F‖L) is measured against α = 0)');
}

function at(r: W2sRowCpu, i: number): number {
  return r.data[r.offsetElems + i] ?? -Infinity;
}

function isBad(x: number): boolean {
  return Number.isNaN(x) || x === Infinity;
}

/** The support test and Δ of entry i, or null when it is masked; throws on NaN / +inf. */
function entry(L: W2sRowCpu, S: W2sRowCpu, E: W2sRowCpu, i: number): { l: number; s: number; e: number; d: number } | null {
  const l = at(L, i);
  const s = at(S, i);
  const e = at(E, i);
  if (isBad(l) || isBad(s) || isBad(e)) throw new NonFiniteRowError(0, 'nan-or-inf', `entry ${i} of the large, small or expert row`);
  if (l === -Infinity || s === -Infinity || e === -Infinity) return null;
  return { l, s, e, d: Math.fround(e - s) };
}

/** z_F(α)_i in f32: l + fround(α)·Δ, rounded after each operation (the GPU's order). */
export function fusedLogit(l: number, d: number, alpha: number): number {
  return Math.fround(l + Math.fround(Math.fround(alpha) * d));
}

/** Statistics of one position in f64 (two passes: max, then shifted sums). */
export function w2sStatsCpu(L: W2sRowCpu, S: W2sRowCpu, E: W2sRowCpu, valid: number, alphas: readonly number[]): W2sStats {
  validateAlphas(alphas);
  const jobs = alphas.length + 2;
  const z = (j: number, x: { l: number; s: number; e: number; d: number }) => (j < alphas.length ? fusedLogit(x.l, x.d, alphas[j]!) : j === alphas.length ? x.e : x.s);
  const w = (j: number, x: { l: number; s: number; e: number; d: number }) => (j < alphas.length ? z(j, x) - x.l : j === alphas.length ? x.e - x.s : 0);
  const max = new Array<number>(jobs).fill(-Infinity);
  let support = 0;
  for (let i = 0; i < valid; i++) {
    const x = entry(L, S, E, i);
    if (!x) continue;
    support++;
    for (let j = 0; j < jobs; j++) max[j] = Math.max(max[j]!, z(j, x));
  }
  if (support === 0) throw new NonFiniteRowError(0, 'no-finite', `no entry below ${valid} is finite in all three rows`);
  const s = new Array<number>(jobs).fill(0);
  const t = new Array<number>(jobs).fill(0);
  for (let i = 0; i < valid; i++) {
    const x = entry(L, S, E, i);
    if (!x) continue;
    for (let j = 0; j < jobs; j++) {
      const e = Math.exp(z(j, x) - max[j]!);
      s[j] = s[j]! + e;
      t[j] = t[j]! + e * w(j, x);
    }
  }
  const job = (j: number): W2sJobStats => ({ lse: max[j]! + Math.log(s[j]!), mean: t[j]! / s[j]! });
  return { fused: alphas.map((_, j) => job(j)), expert: job(alphas.length), small: job(alphas.length + 1), support };
}

/** The KLs from a position's statistics (either backend's), f64, clamped at 0. */
export function w2sKls(stats: W2sStats, alphas: readonly number[]): W2sKls {
  const lseL = stats.fused[0]!.lse;
  const kls = alphas.map((a, j) => {
    if (a === 0) return 0;
    const f = stats.fused[j]!;
    return Math.max(0, f.mean - f.lse + lseL);
  });
  const kappa = Math.max(0, stats.expert.mean - stats.expert.lse + stats.small.lse);
  return { kls, kappa };
}

/**
 * The fused row z_F(α) = z_L + α·(z_E − z_S) as f32, `width` entries: entries outside the common
 * support (masked in any row, or ≥ valid) are −inf.
 */
export function fusedRowCpu(L: W2sRowCpu, S: W2sRowCpu, E: W2sRowCpu, valid: number, width: number, alpha: number): Float32Array {
  const out = new Float32Array(width).fill(-Infinity);
  for (let i = 0; i < Math.min(valid, width); i++) {
    const x = entry(L, S, E, i);
    if (x) out[i] = fusedLogit(x.l, x.d, alpha);
  }
  return out;
}
