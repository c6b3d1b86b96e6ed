/**
 * Multi-draft speculative decoding's annotations (k-chain recursive speculative decoding, RSD):
 * `kind: 'multi-draft'`. Types only, imported by worker/ and ui/; protocol/annotations.ts puts them
 * in the token annotations union. Field by field in docs/run-format.md#annotations.
 */
import type { DraftRecord, EmitFate } from '../speculative/annotations';

/** What happened to one root candidate in the recursive rejection. */
export type RootFate = 'accepted' | 'rejected' | 'unverified';

/**
 * One of the k distinct root candidates c^1..c^k (first tokens of the chains), with its stage of the
 * recursive rejection: stage i compares p_i(c^i) with q_i(c^i), where p_1 = p, q_1 = q and after a
 * rejection p_{i+1} = norm(max(0, p_i − q_i)), q_{i+1} = q_i without c^i (renormalised).
 */
export type MultiDraftRoot = {
  id: number;
  /** Its text decoded in place. */
  text?: string;
  fate: RootFate;
  /** p(c) and q(c) in the target's / draft's final distribution at the root. */
  p: number;
  q: number;
  /** p_i(c^i), q_i(c^i) at its stage (absent: unverified). */
  pStage?: number;
  qStage?: number;
  /** The uniform r_i compared with min(1, p_i/q_i) (sampling only). */
  r?: number;
  /** After a rejection: Σ_v max(0, p_i(v) − q_i(v)), the mass p_{i+1} was normalised from (sampling only). */
  residualMass?: number;
};

/** Every token a multi-draft iteration emits. */
export type MultiDraftAnnotations = {
  kind: 'multi-draft';
  /** Iteration index, from 0; tokens of one iteration share it. */
  iteration: number;
  fate: EmitFate;
  /** Chain length asked for (the `k` parameter). */
  k: number;
  /** Chains asked for (the `drafts` parameter). */
  draftCount: number;
  /** Distinct root candidates actually drawn (≤ draftCount: the draft's kept support may be smaller). */
  candidates: number;
  /** Index of the chain whose root was accepted (null: every root rejected, the token is the root residual). */
  chain: number | null;
  /** Accepted draft tokens of this iteration (the accepted root counts). */
  acceptedInIteration: number;
  /** Target probability of this token at its position (null for a residual draw). */
  p: number | null;
  /** Draft probability of an accepted draft (null for resampled / bonus tokens). */
  q: number | null;
  /** The uniform of an accepted draft under sampling. */
  r?: number;
  /** Running α̂ = accepted drafts / tokens of the verified chains. */
  alpha: number | null;
  /** Running τ = emitted tokens / target forward passes. */
  tau: number | null;
  /** First token of an iteration only: the root candidates in draw order with their stages. */
  roots?: MultiDraftRoot[];
  /** First token of an iteration only: every chain (root first) with each token's fate, p (verified only) and q. */
  chains?: DraftRecord[][];
};
