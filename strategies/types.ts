import type { SequenceCapabilities, TokenSequence } from '../workers/decode/sequence';
import type { StrategyRun } from '../workers/decode/step';
import type { ParamValue, StrategyInfo } from '../protocol';
import type { Rng } from '../workers/rng';
import type { StopSignal } from '../workers/decode/stop';

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
  /** What the target can do beyond TokenSequence (batched forwards, hidden-state branches); absent when it cannot. */
  capabilities?: SequenceCapabilities;
  /** What the draft can do beyond TokenSequence, when the strategy drives it (`info.needsDraft`); absent otherwise. */
  draftCapabilities?: SequenceCapabilities;
  rng: Rng;
  /** Top-k size every readout must return (≥ 10, for the token records). */
  topK: number;
  /** The run's token budget (beam search finalises its hypotheses there); absent in unit tests that do not need it. */
  maxNewTokens?: number;
  /** End-of-sequence ids of the tokenizer (speculative strategies stop drafting and accepting there). */
  eosIds?: readonly number[];
  /**
   * Text of `id` if it came right after `context` (ids), decoded like an emitted token: for the
   * tokens a strategy names in its annotations that the run never emits (drafts). Absent in tests
   * without a tokenizer.
   */
  textAfter?: (context: readonly number[], id: number) => string;
  /**
   * Stop inside a step: a step of many forward passes awaits `stop.checkpoint()` between them (it
   * yields to the event loop and throws once Stop was asked). Absent in unit tests that never stop.
   */
  stop?: StopSignal;
}

/** What a step emits and the run the loop drives are engine types (workers/decode/step.ts). */
export type { EmittedToken, StepResult, StrategyRun } from '../workers/decode/step';

/** A decoding strategy as registered: metadata for the UI and a factory per panel. */
export interface DecodingStrategy {
  info: StrategyInfo;
  /**
   * For a strategy that needs no draft (`info.needsDraft` false) but drives the request's second
   * model when its params say so (SMC's draft proposal): true hands it the draft (ctx.draft,
   * ctx.draftCapabilities) and the loop stops committing to it. Absent: false.
   */
  drivesDraft?(params: Record<string, ParamValue>): boolean;
  start(ctx: StrategyContext): StrategyRun;
}
