import type { SequenceCapabilities, TokenSequence } from '../decode/sequence';
import type { RowSummary } from '../decode/readout';
import type { ParamValue, StrategyAnnotations, StrategyInfo } from '../../protocol';
import type { Rng } from '../rng';

/** What a strategy gets for one panel: its params (validated, defaults filled), models and PRNG. */
export interface StrategyContext {
  params: Record<string, ParamValue>;
  target: TokenSequence;
  /**
   * The second model (draft / amateur) when the strategy drives it (`info.needsDraft`: speculative
   * drafting, the contrastive amateur), else null. The decode loop commits every emitted token to a
   * request's draft the strategy does not drive, so strategies never commit to it themselves.
   */
  draft: TokenSequence | null;
  /** What the target can do beyond TokenSequence (batched forwards, hidden-state branches); absent on plain fakes. */
  capabilities?: SequenceCapabilities;
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
  /** The strategy family's detail, tagged by `kind` (protocol/annotations.ts); `{}` for none. */
  annotations: StrategyAnnotations;
}

/** What one step produced: one token for most strategies, several for speculative ones. */
export interface StepResult {
  tokens: EmittedToken[];
}

/** A running strategy for one panel. The loop owns stopping, streaming and counting. */
export interface StrategyRun {
  /**
   * Produce the next token(s) and commit them to `target` (and to `draft` when the strategy drives
   * it) so the next call continues after them. The loop may cut the list at the budget or EOS, after which it stops.
   */
  step(): Promise<StepResult>;
}

/** A decoding strategy as registered: metadata for the UI and a factory per panel. */
export interface DecodingStrategy {
  info: StrategyInfo;
  start(ctx: StrategyContext): StrategyRun;
}
