/**
 * The DoLa family's annotations: `kind: 'dola'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** One candidate premature layer at a step. */
export type DolaCandidate = {
  layer: number;
  /** The DoLa code's divergence ½[KL(M‖P) + KL(M‖Q)] / |V| (the one that picks the layer); null when |J| = 1 (none computed). */
  divergence: number | null;
  /** The textbook Jensen–Shannon divergence ½[KL(P‖M) + KL(Q‖M)] in [0, ln 2], nats; null when |J| = 1. */
  jsd: number | null;
};

/** One DoLa token. */
export type DolaAnnotations = {
  kind: 'dola';
  /** The candidate layers J with their divergences, in layer order. */
  candidates: DolaCandidate[];
  /** The premature layer m contrasted at this step (the first maximum of the divergence). */
  premature: number;
  /** The mature layer (the model's output), L. */
  mature: number;
  /** Plausibility α of the adaptive constraint: keep v with p_L(v) ≥ α · max p_L. */
  alpha: number;
  /** Tokens in the plausible set (after the repetition penalty). */
  plausible: number;
  /** The model's own greedy pick (after the repetition penalty) and whether DoLa chose otherwise. */
  modelGreedy: number;
  departed: boolean;
  /** True when the token was drawn (temperature > 0). */
  sampled: boolean;
  /** Top contrast scores F = log p_L − log p_m on the plausible set (after the chain). */
  scores: { id: number; score: number }[];
  /** The chosen token under the mature and the premature layer (raw softmax). */
  matureProb: number;
  prematureProb: number;
  /** The premature layer's own top tokens (raw softmax of its lens). */
  prematureTop: { id: number; text: string; prob: number }[];
};
