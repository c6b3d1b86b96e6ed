/**
 * The speculative family's annotations (speculative decoding, prompt lookup, and token recycling / ADED
 * from strategies/draft-free): `kind: 'speculative'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** Why a speculative token was emitted. */
export type EmitFate = 'accepted' | 'resampled' | 'bonus';
/** What happened to one drafted token. */
export type DraftFate = 'accepted' | 'rejected' | 'discarded';

/** One drafted token as the UI sees it (annotations of the iteration's first emitted token). */
export type DraftRecord = {
  id: number;
  fate: DraftFate;
  /** p_i(d_i) in the target's final distribution (null: not verified, after a rejection). */
  p: number | null;
  /** q_i(d_i) in the draft's final distribution (1 for n-gram drafts). */
  q: number;
  /** The uniform r_i compared with min(1, p/q) (sampling only). */
  r?: number;
  /** Its text decoded in place (absent in older files: the UI then falls back to the run's texts or `#id`). */
  text?: string;
};

/**
 * Every token a speculative / prompt-lookup iteration emits. Under greedy, p and q are softmaxes of
 * the processed rows at temperature 1; under sampling the final (warped) distributions the
 * acceptance test uses.
 */
export type SpeculativeAnnotations = {
  kind: 'speculative';
  /** Iteration index, from 0; tokens of one iteration share it. */
  iteration: number;
  fate: EmitFate;
  /** Draft length asked for (the schedule's k, or prompt lookup's k). */
  k: number;
  /** Tokens actually drafted (L ≤ k: EOS, short match, no match = 0). */
  drafted: number;
  /** n_acc of this iteration. */
  acceptedInIteration: number;
  /** Target probability of this token at its position (null for a residual draw). */
  p: number | null;
  /** Draft probability q_i(d_i) of an accepted draft (null for resampled / bonus tokens). */
  q: number | null;
  /** r_i of an accepted draft under sampling. */
  r?: number;
  /** Running α̂ (null before anything was drafted). */
  alpha: number | null;
  /**
   * Running τ = emitted / target forwards, counting every token the iterations emitted (the loop may
   * drop some at the token budget, so the panel's final τ can be slightly above its stats' ratio).
   */
  tau: number | null;
  /** First token of an iteration only: every drafted token with its fate, p, q (and r). */
  drafts?: DraftRecord[];
  /** First token of a prompt-lookup iteration only: the matched n-gram, or null (plain step). */
  match?: { start: number; n: number } | null;
  /** First token of a token-recycling iteration only (strategies/draft-free): the matrix rows the chain followed. */
  recycling?: RecyclingInfo;
  /** First token of an ADED iteration only (strategies/draft-free): the n-gram rows behind each draft. */
  aded?: AdedInfo;
};

/** One row of token recycling's adjacency matrix as the chain read it: A[from] (top-8 successors, best first); `initial`: never written yet (the initial row). */
export type RecycledRow = { from: number; successors: number[]; initial?: true };

/** Token recycling's drafting facts of one iteration (read before this iteration's verification updated A). */
export type RecyclingInfo = {
  /** A[x], A[d_1], … A[d_{L−1}]: row i gave d_{i+1} = successors[0]. */
  rows: RecycledRow[];
  /** Rows ever written by a target forward so far (prompt prefill included). */
  written: number;
  /** Rows of A (the tokenizer's vocabulary), null before the first target forward. */
  vocab: number | null;
};

/** The counts row of ADED behind one draft: tri-gram row T[(a, b)] (context [a, b]) or bigram row B[b] (context [b]). */
export type NgramRow = { order: 2 | 3; context: number[]; next: { id: number; count: number }[] };

/** ADED's drafting facts of one iteration: one row per draft, and the table's size. */
export type AdedInfo = {
  /** Row i gave d_{i+1} (its largest count, ties to the lower id); `next` holds its top entries. */
  rows: NgramRow[];
  /** Distinct tri-gram contexts (a, b) and bigram contexts b counted so far. */
  trigrams: number;
  bigrams: number;
};
