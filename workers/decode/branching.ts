import type { RowSummary } from './readout';

/**
 * A sequence capability (SequenceCapabilities.branching): hidden states and batched candidate
 * branches, what contrastive search needs beyond TokenSequence. `RunnerBranching` implements it over
 * a SequenceRunner; unit tests pass their own implementation through the capability.
 */
export interface BranchingModel {
  /** Whether the model exports `last_hidden_state` (ModelSession.facts.hasHiddenState). */
  readonly hasHiddenState: boolean;
  /** Committed ids (prompt plus chosen tokens). */
  readonly ids: readonly number[];
  /**
   * Feed the pending ids in one forward pass: the summary (top `k`) of the last row and the hidden
   * state [d] of every fed position, in order.
   */
  prefill(k: number): Promise<{ row: RowSummary; hidden: Float32Array[] }>;
  /**
   * Feed each token as its own batch row after the committed ids, in ONE forward: the hidden state
   * [d] of each. The branch stays open until `choose` (a new `branch` or `close` drops it).
   */
  branch(tokens: number[]): Promise<Float32Array[]>;
  /** Keep branch row `i`: commit its token, continue from its cache, and summarise its next row (top `k`). */
  choose(i: number, k: number): Promise<RowSummary>;
  /** Drop an open branch, if any. */
  close(): void;
}
