import type { GraphRow } from './graph';

/**
 * GRAD's "truthfulness-aware logit integration" (arXiv 2511.03900). The paper's equation could not
 * be read, so all three variants are our interpretation (docs/algorithms.md#fusion-variants):
 * - A (default): z' = z + λₜ·S·g with λₜ = λ·H(softmax z)/ln|V| and S = max z − median(top-50 z);
 * - B: z' = (1 − λ)·z + λ·max(z)·g (fixed weight);
 * - C: z' = z + λₜ·S·g with λₜ = λ when max p < γ, else 0 (gated instead of entropy-scaled).
 */
export type GradVariant = 'A' | 'B' | 'C';

/** The variants, in the order the UI lists them. */
export const GRAD_VARIANTS: readonly GradVariant[] = ['A', 'B', 'C'];

/** Logits whose median sets the scale S of variants A and C. */
export const SCALE_TOP = 50;

/** Fusion settings of one panel. */
export interface FusionSettings {
  variant: GradVariant;
  /** λ of variants A and C, ≥ 0. */
  lambda: number;
  /** λ of variant B, in [0, 1). */
  lambdaB: number;
  /** Gate of variant C: fuse only when the model's max probability is below γ, in [0, 1]. */
  gamma: number;
}

/** What the fusion needs to know about the model's raw row. */
export interface RawRow {
  max: number;
  lse: number;
  /** Entropy of softmax(z) in nats. */
  entropy: number;
  /** Largest logits, descending; at least min(SCALE_TOP, finite entries) of them. */
  topLogits: readonly number[];
  /** |V|: ids the tokenizer defines (entries the softmax runs over). */
  vocab: number;
}

/** How one step fuses: argmax(z + graphScale·g) equals argmax of the variant's z'. */
export interface FusionPlan {
  /** λₜ as the variant defines it (B: λ). */
  lambdaT: number;
  /** S for A and C, max z for B. */
  scale: number;
  /**
   * Coefficient c of the equivalent form z + c·g. A and C: λₜ·S. B: λ·max z / (1 − λ), since
   * dividing z' by (1 − λ) > 0 keeps its argmax.
   */
  graphScale: number;
}

/** Median of the first min(SCALE_TOP, n) logits (descending input): mean of the middle two when even. */
export function topMedian(topLogits: readonly number[]): number {
  const n = Math.min(SCALE_TOP, topLogits.length);
  if (n === 0) throw new RangeError('topMedian needs at least one logit');
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? topLogits[mid]! : (topLogits[mid - 1]! + topLogits[mid]!) / 2;
}

/** Check settings at the boundary; errors name the parameter and the value. */
export function validateFusion(s: FusionSettings): FusionSettings {
  if (!GRAD_VARIANTS.includes(s.variant)) throw new RangeError(`variant must be one of ${GRAD_VARIANTS.join(', ')}, got ${JSON.stringify(s.variant)}`);
  if (!(s.lambda >= 0 && Number.isFinite(s.lambda))) throw new RangeError(`lambda must be a finite number ≥ 0, got ${s.lambda}`);
  if (!(s.lambdaB >= 0 && s.lambdaB < 1)) throw new RangeError(`lambdaB must be in [0, 1), got ${s.lambdaB}`);
  if (!(s.gamma >= 0 && s.gamma <= 1)) throw new RangeError(`gamma must be in [0, 1], got ${s.gamma}`);
  return s;
}

/** The fusion of one step from the raw row's statistics. */
export function planFusion(s: FusionSettings, row: RawRow): FusionPlan {
  if (s.variant === 'B') {
    return { lambdaT: s.lambdaB, scale: row.max, graphScale: (s.lambdaB * row.max) / (1 - s.lambdaB) };
  }
  const scale = row.max - topMedian(row.topLogits);
  let lambdaT: number;
  if (s.variant === 'A') {
    const hn = row.vocab > 1 ? row.entropy / Math.log(row.vocab) : 0;
    lambdaT = s.lambda * Math.min(1, Math.max(0, hn));
  } else {
    lambdaT = Math.exp(row.max - row.lse) < s.gamma ? s.lambda : 0;
  }
  return { lambdaT, scale, graphScale: lambdaT * scale };
}

/** g as a lookup: id → weight (0 for ids without an edge). */
export function graphLookup(g: GraphRow | null): (id: number) => number {
  if (!g) return () => 0;
  const m = new Map<number, number>();
  g.ids.forEach((id, i) => m.set(id, g.values[i]!));
  return (id) => m.get(id) ?? 0;
}

/**
 * argmax of z + c·g over the first `vocab` entries (finite ones only), ties to the lower id: the CPU
 * reference of the fused greedy choice.
 */
export function fusedArgmaxCpu(z: ArrayLike<number>, vocab: number, g: GraphRow | null, c: number): number {
  const gv = new Float64Array(vocab);
  if (g) g.ids.forEach((id, i) => id < vocab && (gv[id] = g.values[i]!));
  let best = -1;
  let bestV = -Infinity;
  for (let i = 0; i < vocab; i++) {
    const zi = z[i]!;
    if (!Number.isFinite(zi)) continue;
    const v = zi + c * gv[i]!;
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  if (best < 0) throw new RangeError('the logit row has no finite entry');
  return best;
}

/**
 * argmax of z + c·g decided from the raw top-k alone, or null when it cannot be proven from it.
 * Every id outside the list has z ≤ the last listed logit, so its fused value is at most that plus
 * max(c, 0); a listed candidate strictly above that bound is the true argmax. `complete` says the
 * list holds every finite entry (small vocabularies), which makes the answer always exact.
 */
export function fusedArgmaxFromTop(topIds: readonly number[], topLogits: readonly number[], g: GraphRow | null, c: number, complete: boolean): number | null {
  const gOf = graphLookup(g);
  let best = -1;
  let bestV = -Infinity;
  topIds.forEach((id, i) => {
    const v = topLogits[i]! + c * gOf(id);
    if (v > bestV || (v === bestV && id < best)) {
      bestV = v;
      best = id;
    }
  });
  if (best < 0) return null;
  if (complete) return best;
  const last = topLogits[topLogits.length - 1]!;
  return bestV > last + Math.max(c, 0) ? best : null;
}
