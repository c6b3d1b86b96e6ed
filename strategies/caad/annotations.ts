/**
 * The CAAD / RAD retrieval family's annotations: `kind: 'caad'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** Where a CAAD token came from: the retrieval term changed the pick, left it, or was not applied. */
export type CaadProvenance = 'flipped by retrieval' | 'agreed' | 'no retrieval';

/** One retrieved reference position (a kept neighbour). */
export type CaadNeighbour = {
  /** cos(q, key) in [−1, 1]. */
  similarity: number;
  /** a_j = softmax(cos / T) over the kept neighbours. */
  weight: number;
  /** Which reference (passage, 0-based) and the position in it (token index of the context's last token). */
  reference: number;
  position: number;
  /** The last few tokens of the reference up to that position, as text. */
  context: string;
  /** The token the reference continues with there (the "truthful" next token), id and text. */
  nextId: number;
  next: string;
};

/** One CAAD token. */
export type CaadAnnotations = {
  kind: 'caad';
  provenance: CaadProvenance;
  /** λ, the weight of the retrieval term. */
  lambda: number;
  /** g = max cos over the kept neighbours (0 when none is kept). */
  gate: number;
  /** Largest cosine over the whole store (kept or not); null for an empty store. */
  bestSimilarity: number | null;
  /** The kept neighbours, similarity descending. */
  neighbours: CaadNeighbour[];
  /** The ids with the largest r, with r − mean_top64(r) (nats, before λ·g), r descending. */
  shift: { id: number; text: string; shift: number }[];
  /** λ·g·(r(token) − mean_top64(r)): the term's shift of this token's logit, nats (0 when not applied). */
  tokenShift: number;
  /** Probability of the token with the term (the processed distribution it was picked from). */
  processedProb: number;
  /** Whether the pick was a draw (temperature > 0); the pick without the term then uses the same uniform. */
  sampled: boolean;
  /** What the same chain (and the same uniform) picks without the term. */
  modelChoice: { id: number; text: string; prob: number };
  /** Probability of this token without the term, when known (always when it is the model's choice). */
  probWithout: number | null;
  /** First token only: what the store was built from. */
  store?: {
    references: number;
    entries: number;
    dim: number;
    capped: boolean;
    buildMs: number;
    readbackBytes: number;
    /** The store was built by an earlier run over the same model, references and μ (buildMs and readbackBytes are that build's). */
    reused?: boolean;
  };
};
