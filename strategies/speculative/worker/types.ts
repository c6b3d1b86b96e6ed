import type { ProcessedDistribution } from '../../../workers/decode/fusion';
import type { RowSummary } from '../../../workers/decode/readout';
import type { TokenSequence } from '../../../workers/decode/sequence';

/** What happened to one drafted token, why a token was emitted (../annotations.ts). */
export type { DraftFate, EmitFate } from '../../../protocol';

/** The drafts of one iteration (propose step). */
export interface Proposal {
  /** d_1..d_L, L ≤ k (L = 0: the iteration is a plain target step). */
  d: number[];
  /** q_i(d_i) per draft in the draft's final distribution (1 for n-gram drafts: one-hot q). */
  q: number[];
  /** The draft length asked for this iteration (k; L may be shorter after an EOS or a short match). */
  k: number;
  /** q_1..q_L kept for residual sampling (null: greedy, or one-hot n-gram q); the iteration disposes them. */
  residualRows: ProcessedDistribution[] | null;
  /** Extra iteration facts for the annotations (e.g. the matched n-gram). */
  info: Record<string, unknown>;
}

/** What verification decided (verify step). */
export interface Verdict {
  /** n_acc ∈ [0, L]. */
  accepted: number;
  /** The correction (rejection) or bonus token. */
  next: number;
  /** p_i(d_i) in the target's final distribution for each verified draft (all drafts under greedy). */
  pD: number[];
  /** p of `next` at its position in the target's final distribution (null: a residual draw, not known). */
  pNext: number | null;
  /** Uniforms r_i drawn for the verified drafts (sampling only). */
  r: number[] | null;
}

/** Proposes drafts; the draft-model proposer commits them to the draft runner as it goes. */
export interface Proposer {
  propose(k: number): Promise<Proposal>;
}

/** The verification forward's outcome: raw target summaries for the records, and the decision. */
export interface Verification {
  /** Raw (temperature 1, unprocessed) target summary of p_1..p_{L+1}. */
  base: RowSummary[];
  verdict: Verdict;
}

/**
 * Verify step: runs ONE target forward over the pending ids, which end with the L drafts already
 * committed to `target`, and decides acceptance from the last L + 1 rows.
 */
export interface Verifier {
  verify(target: TokenSequence, proposal: Proposal): Promise<Verification>;
}
