/**
 * The logit lab (step mode, docs/step-mode.md): for one decision of a step, a few candidate tokens
 * with their probability after each stage of the chain that actually applied. Small records built
 * in the worker from the kernels' own outputs; no logit row crosses to the page.
 */
import type { FinishReason, TokenRecord } from './record';

/** One stage of the chain: the candidates' probabilities after it, and how many ids it kept. */
export interface LabStage {
  /** `raw`, `repetitionPenalty`, `presencePenalty`, `contrast`, `sparse`, `temperature`, `topK`, `topP`, `minP`, `typicalP`, `epsilonCutoff`, `etaCutoff` (the warpers' parameter names). */
  id: string;
  /** What the page calls it ("raw softmax", "top-p 0.9", ...). */
  label: string;
  /** Probability of each candidate (same order as `LabRow.candidates`) after this stage; 0 = removed. */
  probs: number[];
  /** Ids with nonzero probability after this stage (the whole vocabulary, not only the candidates); null when not measured. */
  kept: number | null;
}

/** A candidate of a lab row. */
export interface LabCandidate {
  id: number;
  text: string;
}

/** One decision (one logit row) the strategy processed during the step, stage by stage. */
export interface LabRow {
  /** The model whose row it is. */
  model: 'target' | 'draft';
  /** At most 16 ids: the chosen one first, then the most probable of the final and the raw distribution. */
  candidates: LabCandidate[];
  /** The stages in the order they ran; the first is the raw softmax, the last the distribution the choice came from. */
  stages: LabStage[];
  /** The id the row's processing chose (argmax, or the draw). */
  chosen: number;
  /** True when the choice was a draw; `uniform` is then its uniform. */
  sampled: boolean;
  uniform: number | null;
  /**
   * `chain`: the row went through the processor chain and `chosen` is its argmax or draw. `record`:
   * the strategy chose by its own rule without the chain (plain greedy's raw argmax, contrastive
   * search's score, an accepted draft); the row is the raw softmax at the emitted token's position,
   * from its token record.
   */
  source: 'chain' | 'record';
  /** The strategy's name for the row when it processes one position more than once (n-gram injection: with the style term, the model alone). */
  label?: string;
}

/** The lab of one panel's step: the rows its strategy processed, in order (at most LAB_MAX_ROWS). */
export interface LabStep {
  rows: LabRow[];
  /** True when the step processed more rows than were recorded. */
  truncated: boolean;
}

/** Most rows one step records. */
export const LAB_MAX_ROWS = 8;

/** One panel's part of a step (`window.logitscope.step()`, the worker's `step`). */
export interface StepEntry {
  panel: number;
  tokens: TokenRecord[];
  /** Null when the panel did not step in this round (it had finished) or its strategy processed no row through the chain. */
  lab: LabStep | null;
  finishReason: FinishReason | null;
}
