/**
 * The n-gram style injection family's annotations: `kind: 'ngram'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** Where an n-gram token came from: the style term changed the pick, left it, or had nothing to add. */
export type NgramProvenance = 'flipped by style' | 'model choice' | 'no style term';

/** One n-gram injection token. */
export type NgramAnnotations = {
  kind: 'ngram';
  provenance: NgramProvenance;
  /** λ, the weight of the style term. */
  lambda: number;
  /** Orders whose context the corpus holds at this step (1 always, 2 and 3 when seen). */
  orders: number[];
  /** P_style(token | context). */
  styleProb: number;
  /** λ·(s(token) − s_base): how far the style term lifted this token's logit over a token the corpus never continued with here, nats (≥ 0). */
  lift: number;
  /** Probability of the token with the style term (the processed distribution it was picked from). */
  processedProb: number;
  /** Whether the pick was a draw (temperature > 0); the model's own pick then uses the same uniform. */
  sampled: boolean;
  /** What the same chain (and the same uniform) picks without the style term. */
  modelChoice: { id: number; text: string; prob: number };
  /** Probability of this token without the style term, when known (always when it is the model's choice). */
  probWithout: number | null;
  /** The style prior's most likely next tokens here. */
  topStyle: { id: number; text: string; p: number }[];
  /** First token only: what the prior was built from. */
  corpus?: { passages: number; tokens: number; order: number; buildMs: number };
};
