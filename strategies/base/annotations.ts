/**
 * The base family's annotations (greedy, sample): `kind: 'processed'`, a choice from the processed distribution.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** A choice from the processed distribution (sampling, greedy with a repetition penalty). */
export type ProcessedAnnotations = {
  kind: 'processed';
  /** Probability of the chosen token in the processed (warped) distribution. */
  processedProb: number;
  /** Entropy of the processed distribution over the kept tokens, nats. */
  processedEntropy: number;
  /** Tokens the processors kept. */
  kept: number;
};
