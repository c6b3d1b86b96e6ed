/**
 * The EAD family's annotations (entropy-adaptive model switching): `kind: 'ead'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** One EAD token. */
export type EadAnnotations = {
  kind: 'ead';
  /** The model that produced the token (the active one at this step). */
  model: 'draft' | 'target';
  /** Entropy of that model's processed distribution at this step, bits. */
  entropyBits: number;
  /** Mean of the last `window` entropies (this one included), bits: what the switch rule reads. */
  meanEntropyBits: number;
  /** Tokens the active model had produced since the last switch, this one included. */
  dwell: number;
  /** The model the next token comes from when the rule switched after this token, else null. */
  switchTo: 'draft' | 'target' | null;
  /** Tokens fed in this step's forward beyond the last one: the catch-up after a switch (0 otherwise). */
  catchUp: number;
  /** Probability of the token under the active model's processed distribution. */
  processedProb: number;
};
