/**
 * The engine's side of a strategy: what one step emits and the run the decode loop drives. The
 * engine (model, runtime, decode, processors) imports no strategy; strategies implement these.
 */
import type { LiveState, StrategyAnnotations } from '../../protocol';
import type { RowSummary } from './readout';

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
  /** A search strategy's hypotheses after the step, shown live (beam search). */
  live?: LiveState;
}

/** A running strategy for one panel. The loop owns stopping, streaming and counting. */
export interface StrategyRun {
  /**
   * Produce the next token(s) and commit them to `target` (and to `draft` when the strategy drives
   * it) so the next call continues after them. The loop may cut the list at the budget or EOS, after which it stops.
   */
  step(): Promise<StepResult>;
  /** Free what the run holds beyond its sequences (e.g. a KV cache of its own); called once when the run ends. */
  dispose?(): void;
}
