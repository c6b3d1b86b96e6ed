/**
 * The weak-to-strong family's annotations (Dynamic Logits Fusion): `kind: 'w2s'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** Whether the fusion changed the large model's own pick at this token. */
export type W2sProvenance = 'flipped' | 'agreed';

/** A token, its text in place, and its probability under one distribution. */
export type W2sEntry = { id: number; text: string; p: number };

/** One weak-to-strong token. */
export type W2sAnnotations = {
  kind: 'w2s';
  provenance: W2sProvenance;
  /** α used at this step: α* of the grid search (dynamic), or the fixed α. */
  alpha: number;
  /** True when α was searched (alpha = −1), false for a fixed α (static proxy tuning). */
  dynamic: boolean;
  /** κ = KL(softmax z_E ‖ softmax z_S), nats: the shift the expert context induces on the small model. */
  kappa: number;
  /** KL(softmax z_F(α) ‖ softmax z_L) at the α used, nats. */
  kl: number;
  /** KL(F(α) ‖ L) at every grid α (α_j = j/10 when dynamic; [0, α] when fixed), nats. */
  curve: number[];
  /** The grid's α values, in the order of `curve`. */
  grid: number[];
  /** Whether the pick was a draw (temperature > 0); the large model's own pick then uses the same uniform. */
  sampled: boolean;
  /** Probability of the token under the processed fused distribution it was picked from. */
  processedProb: number;
  /** What the same chain (and uniform) picks from the large model alone, with its processed probability. */
  largeChoice: { id: number; text: string; prob: number };
  /** Raw softmax top tokens of L, S, E and of the fused row z_F(α) (before the processor chain). */
  top: { large: W2sEntry[]; small: W2sEntry[]; expert: W2sEntry[]; fused: W2sEntry[] };
  /** First token only: tokens of the expert context (expert prefix + prompt), and whether E shares S (empty prefix). */
  expertContext?: { tokens: number; sharesSmall: boolean };
};
