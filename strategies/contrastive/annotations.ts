/**
 * The contrastive family's annotations: `kind: 'contrastive'` (contrastive decoding) and
 * `kind: 'contrastive-search'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** A token and its probability under one model's raw softmax. */
export type ProbEntry = { id: number; prob: number };

/** One model's view of a contrastive-decoding step: the chosen token's raw probability and its top alternatives. */
export type ModelView = {
  /** Raw softmax probability (temperature 1, no processors) of the chosen token. */
  prob: number;
  /** Highest raw probability (the model's greedy pick's). */
  maxProb: number;
  top: ProbEntry[];
};

/** One contrastive-decoding token: expert vs amateur. */
export type ContrastiveAnnotations = {
  kind: 'contrastive';
  /** Plausibility cutoff α in (0, 1]. */
  alpha: number;
  /** Amateur weight β of the logit form. */
  beta: number;
  form: 'logit' | 'logprob';
  /** Amateur temperature τ_A of the log-prob form. */
  amateurTemperature: number;
  /** |V_head|: tokens passing the plausibility mask. */
  vHead: number;
  /** The expert's greedy pick (after the repetition penalty) and whether CD chose otherwise. */
  expertGreedy: number;
  departed: boolean;
  /** True when the token was drawn (temperature > 0) rather than the argmax of the contrast. */
  sampled: boolean;
  /** Top contrast scores (processed logits): higher is chosen under greedy. */
  scores: { id: number; score: number }[];
  expert: ModelView;
  amateur: ModelView;
};

/** One contrastive-search candidate with its SimCTG terms. */
export type SearchCandidate = {
  id: number;
  prob: number;
  /** max_j cos(h_v, h_j) over the context, in [−1, 1]. */
  degeneration: number;
  /** The context position j the candidate is most similar to (0 = first prompt token). */
  similarTo: number;
  /** (1 − α)·p − α·degeneration. */
  score: number;
};

/** One contrastive-search token. */
export type SearchAnnotations = {
  kind: 'contrastive-search';
  alpha: number;
  k: number;
  /** Index of the chosen token among the candidates (0 = the greedy pick). */
  chosenRank: number;
  departedFromGreedy: boolean;
  /** Context positions compared against (prompt plus earlier tokens). */
  contextLength: number;
  /** The top-k candidates in probability order. */
  candidates: SearchCandidate[];
};
