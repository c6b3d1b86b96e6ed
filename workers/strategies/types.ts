import type { TokenSequence } from '../decode/sequence';
import type { RowSummary } from '../decode/readout';
import type { ParamValue, StrategyInfo } from '../protocol';
import type { Rng } from '../rng';

/** What a strategy gets for one panel: its params (validated, defaults filled), models and PRNG. */
export interface StrategyContext {
  params: Record<string, ParamValue>;
  target: TokenSequence;
  /** The second model (draft / amateur) when the request has one. */
  draft: TokenSequence | null;
  rng: Rng;
  /** Top-k size every readout must return (≥ 10, for the token records). */
  topK: number;
  /** End-of-sequence ids of the tokenizer (speculative strategies stop drafting and accepting there). */
  eosIds?: readonly number[];
}

/** One token a step emits, with the base model's raw summary at its position. */
export interface EmittedToken {
  id: number;
  /** Target/expert raw softmax summary of the position the token was chosen at. */
  base: RowSummary;
  annotations: Record<string, unknown>;
}

/** What one step produced: one token for most strategies, several for speculative ones. */
export interface StepResult {
  tokens: EmittedToken[];
}

/** A running strategy for one panel. The loop owns stopping, streaming and counting. */
export interface StrategyRun {
  /**
   * Produce the next token(s) and commit them to `target` (and `draft`, if any) so the next call
   * continues after them. The loop may cut the list at the budget or EOS, after which it stops.
   */
  step(): Promise<StepResult>;
}

/** A decoding strategy as registered: metadata for the UI and a factory per panel. */
export interface DecodingStrategy {
  info: StrategyInfo;
  start(ctx: StrategyContext): StrategyRun;
}
