/**
 * Exact integer helpers shared by the sampler's CPU reference and mirrored in sampleU64.wgsl: the
 * top-p target, the inverse-CDF target of a uniform, min-p's weight threshold and the residual
 * coefficients. Weights are u32 (≤ 2^31) and masses < 2^53, so plain numbers hold them exactly;
 * the few wider products go through BigInt.
 */
import { KernelArgumentError } from '../errors';
import { WEIGHT_ONE } from './sampleExp';

/** Top-p quantisation: p is used as round(p · 2^24) / 2^24. */
export const TOP_P_ONE = 2 ** 24;

/** Residual coefficient scale: A, B ≤ 2^24. */
export const RESIDUAL_ONE = 2 ** 24;

/** max(1, round(p · 2^24)) for p in (0, 1): the top-p value the kernels use. */
export function topPFixed(p: number): number {
  return Math.max(1, Math.round(p * TOP_P_ONE));
}

/** Mass the nucleus must reach: max(1, ceil(Pq · W / 2^24)); keep tokens whose preceding mass is below it. */
export function topPTarget(mass: number, pFixed: number): number {
  const num = BigInt(mass) * BigInt(pFixed) + BigInt(TOP_P_ONE - 1);
  return Math.max(1, Number(num / BigInt(TOP_P_ONE)));
}

/** Smallest kept weight under min-p: ceil(minP · 2^31) (the maximum has weight 2^31). */
export function minPThreshold(minP: number): number {
  return Math.ceil(minP * WEIGHT_ONE);
}

/** Epsilon quantisation: ε is used as min(2^32 − 1, max(1, round(ε · 2^32))) / 2^32. */
export function epsilonFixed(epsilon: number): number {
  return Math.min(0xffffffff, Math.max(1, Math.round(epsilon * 4294967296)));
}

/**
 * Smallest weight a mass threshold keeps: ⌈W · εq / 2^32⌉, so w ≥ it ⟺ w / W ≥ εq / 2^32 (exact;
 * may exceed 2^31 when W is large, then no weight but the top's reaches it).
 */
export function massThreshold(mass: number, epsFixed: number): number {
  const num = BigInt(mass) * BigInt(epsFixed) + 0xffffffffn;
  return Number(num >> 32n);
}

/**
 * Eta's entropy margin c = round(−log2(√ε) · 2^16) = round(−2^15 · log2 ε): p ≥ √ε · e^(−H) ⟺
 * t′ ≤ h + c on the integer weights (docs/algorithms.md#eta). At most 2^15 · 1075 < 2^26.
 */
export function etaMargin(epsilon: number): number {
  return Math.round(-32768 * Math.log2(epsilon));
}

/** A uniform u in [0, 1) as the u32 floor(u · 2^32) the kernels use. */
export function uniformToU32(u: number): number {
  if (typeof u !== 'number' || !(u >= 0 && u < 1)) throw new KernelArgumentError('uniform', u, 'a number in [0, 1)');
  return Math.floor(u * 4294967296);
}

/** Inverse-CDF target of a u32 uniform over total mass W: floor(U · W / 2^32), in [0, W). */
export function drawTarget(u32: number, mass: number): number {
  return Number((BigInt(u32) * BigInt(mass)) >> 32n);
}

/** Coefficients (A, B) ≈ (Wq, Wp) · 2^24 / max(Wp, Wq), so p_i − q_i ∝ w_p,i · A − w_q,i · B. */
export function residualCoefficients(massP: number, massQ: number): { a: number; b: number } {
  const m = BigInt(Math.max(massP, massQ));
  const scale = BigInt(RESIDUAL_ONE);
  return { a: Number((BigInt(massQ) * scale + m / 2n) / m), b: Number((BigInt(massP) * scale + m / 2n) / m) };
}

/** Residual weight max(0, floor((wp · A − wq · B) / 2^24)), exact (fits u32: ≤ 2^31). */
export function residualWeight(wp: number, wq: number, a: number, b: number): number {
  // wp·A and wq·B reach 2^55: split the coefficients in 12-bit halves so every product is exact.
  const hi = wp * Math.floor(a / 4096) - wq * Math.floor(b / 4096);
  const lo = wp * (a % 4096) - wq * (b % 4096);
  const h1 = Math.floor(hi / 4096);
  const h0 = hi - h1 * 4096;
  const r = h1 + Math.floor((h0 * 4096 + lo) / RESIDUAL_ONE);
  return r > 0 ? r : 0;
}
