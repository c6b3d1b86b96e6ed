/**
 * What a warper (a sampling-only logits processor, docs/algorithms.md#processor-chain) is: one
 * parameter, the uniform word it packs, and one of the stage kinds the sampler implements once on
 * both paths (kernels/reference/warpers.ts on the CPU, sampleStage.wgsl on the GPU). A warper module
 * supplies only what differs: its parameter schema entry, its range, its packing and, for a
 * mass-ordered prefix filter, its key (a WGSL function and its CPU twin); for a mass threshold, its
 * optional entropy margin. The list in
 * kernels/warpers/index.ts fixes the order (Hugging Face's).
 */
import { topPFixed } from '../reference/sampleMath';

/** The warper's parameter as the strategies' schema lists it (the shape of ParamSchema in protocol/). */
export interface WarperParam {
  name: string;
  label: string;
  type: 'number' | 'integer';
  /** The value that switches the warper off (also the default of every strategy). */
  default: number;
  min: number;
  /** The value must be strictly above `min` (top-p and typical-p: (0, 1]). */
  minExclusive?: boolean;
  max: number;
  /** The value must be strictly below `max` (epsilon and eta: [0, 1)). */
  maxExclusive?: boolean;
  help: string;
}

interface WarperBase {
  param: WarperParam;
  /** Accepted values, as errors say it (e.g. `in (0, 1] (1 = off)`). */
  range: string;
  /** True when `v` is in range. */
  valid(v: number): boolean;
  /** The uniform word the stage reads (`params.arg`); called only when the warper is on. */
  pack(v: number): number;
}

/** Rank filter: keep the entries whose processed logit is ≥ the `arg`-th largest (ties kept). */
export interface RankWarper extends WarperBase {
  kind: 'rank';
}

/**
 * Mass-ordered prefix filter: order the kept entries by `key` ascending (ties by id ascending) and
 * keep each entry whose preceding mass is below max(1, ceil(W · arg / 2^24)), W the kept mass.
 */
export interface PrefixWarper extends WarperBase {
  kind: 'prefix';
  /** True when the key reads the kept set's entropy statistic (keyCpu's `h`); without it h = 0. */
  usesEntropy: boolean;
  /**
   * The key of an entry from its integer weight `w`, its exponent `t` (−log2(w / 2^31) in 2^-16
   * units) and `h` (the weight-averaged `t` of the kept set). u32 result.
   */
  keyCpu(w: number, t: number, h: number): number;
  /** WGSL `fn <param.name>Key(w: u32, t: u32, h: u32) -> u32`, the twin of keyCpu. */
  keyWgsl: string;
}

/** Weight threshold: keep the entries whose integer weight is ≥ `arg`. */
export interface ThresholdWarper extends WarperBase {
  kind: 'threshold';
}

/**
 * Mass threshold (epsilon, eta): with W the kept mass, keep the entries whose integer weight is
 * ≥ ⌈W · arg / 2^32⌉ (p ≥ arg / 2^32), or, when `margin` is set, whose exponent t′ (2^-16 units) is
 * ≤ h + margin(v) (h the kept set's entropy statistic), and always the entries at the largest kept
 * logit (Hugging Face's min_tokens_to_keep = 1). If the kept set's entropy weights sum to 0 the
 * stage keeps everything.
 */
export interface MassWarper extends WarperBase {
  kind: 'mass';
  /** The second uniform word (`params.arg2`): the entropy margin; absent when the stage reads no entropy. */
  margin?: (v: number) => number;
}

/** One warper module. */
export type Warper = RankWarper | PrefixWarper | ThresholdWarper | MassWarper;

/** Range, check and packing of a mass fraction p in (0, 1], 1 = off (top-p, typical-p): round(p · 2^24). */
export const MASS_FRACTION = {
  range: 'in (0, 1] (1 = off)',
  valid: (v: number) => v > 0 && v <= 1,
  pack: (v: number) => topPFixed(v),
} as const;

/** Stage kinds as the WGSL `params.kind` word encodes them. */
export const KIND_CODE: Record<Warper['kind'], number> = { rank: 0, prefix: 1, threshold: 2, mass: 3 };

/** True when the stage reads the kept set's entropy statistic (WGSL `params.flags` bit 0). */
export function readsEntropy(w: Warper): boolean {
  return (w.kind === 'prefix' && w.usesEntropy) || (w.kind === 'mass' && w.margin !== undefined);
}

/** The value `warp` gives the warper's parameter (its off value when left out). */
export function warperValue(warp: { readonly [param: string]: number | undefined }, w: Warper): number {
  return warp[w.param.name] ?? w.param.default;
}
