/** The run record (docs/run-format.md) and the step events streamed while it is filled. */
import type { TokenAnnotations } from './annotations';
import type { LabStep } from './lab';
import type { Backend, BackendChoice, Dtype } from './constants';
import type { ParamValue } from './request';

/** Lifecycle of the app root's `data-run-state` attribute. */
export type RunState = 'idle' | 'loading' | 'running' | 'done' | 'error';

/** Why a panel stopped generating. */
export type FinishReason = 'eos' | 'max' | 'stopped' | 'error';

/** One alternative in a token's top list. Probabilities are the base model's raw softmax. */
export interface TopEntry {
  id: number;
  text: string;
  prob: number;
}

/**
 * One emitted token. `prob`, `logprob` (nats) and `entropy` (nats) are those of the base
 * (target/expert) model's raw softmax at that position: temperature 1, no processors. EAD: of the
 * model that wrote the token (`annotations.model`).
 */
export interface TokenRecord {
  id: number;
  text: string;
  prob: number;
  logprob: number;
  entropy: number;
  /** At least 10 entries, sorted by probability descending, ties to the lower id. */
  top: TopEntry[];
  /** The strategy's detail at this step, tagged by `kind` (JSON-serialisable; protocol/annotations.ts). */
  annotations: TokenAnnotations;
}

/** Per-panel counters. Times in milliseconds. */
export interface PanelStats {
  newTokens: number;
  targetForwards: number;
  draftForwards: number;
  wallMs: number;
  tokensPerSecond: number;
  /** Bytes read back from the GPU (or copied out of the CPU logits) by the decode loop. */
  readbackBytes: number;
  finishReason: FinishReason | null;
  /** Time from the start of the panel to its first emitted token; null before it. */
  timeToFirstTokenMs: number | null;
}

/** A panel's part of the run record. */
export interface PanelRecord {
  strategy: string;
  params: Record<string, ParamValue>;
  text: string;
  tokens: TokenRecord[];
  stats: PanelStats;
  /** Set when this panel failed; the other panels keep running. */
  error?: string;
}

/** Model facts recorded with a run. */
export interface ModelRecord {
  source: string;
  /** Logit row width the model produces (lm_head rows, may include padded rows). */
  vocabSize: number;
  /** Ids the tokenizer defines; rows at or beyond this are masked. */
  tokenizerVocabSize: number;
  dtype: Dtype;
  backend: Backend;
  /** What the Backend control asked for (absent in records made before `auto` existed). */
  backendRequested?: BackendChoice;
  /** Why this backend ran (`auto`'s measured timings, a fallback, a forced choice); absent in older records. */
  backendReason?: string;
  /** ms/token of both backends behind an `auto` choice, when a measurement existed. */
  backendTimings?: { wasm: number; webgpu: number } | null;
}

/** The exported run (docs/run-format.md), version 1. */
export interface RunRecord {
  format: 'logitscope-run';
  version: 1;
  prompt: string;
  promptTokens: number[];
  model: ModelRecord;
  draft: ModelRecord | null;
  seed: number;
  maxNewTokens: number;
  createdAt: string;
  panels: PanelRecord[];
  /**
   * Present only on the record of a run that failed part-way (device lost, out of memory): the panels
   * hold the tokens produced before the failure. Records without it are complete runs.
   */
  partial?: { error: string };
}

/** Streamed to the UI: new tokens for one panel plus its counters so far. */
/** A hypothesis a search strategy still holds (beam search's frontier), shown live beside the stream. */
export interface LiveHypothesis {
  /** Text after the tokens already emitted (what is still undecided). */
  text: string;
  /** The strategy's score: S for a running beam, S / ℓ^λ for a finished one. */
  score: number;
  state: 'running' | 'finished';
  /** Group (diverse beam search), 0 otherwise. */
  group: number;
}

/** What a search strategy holds after a step, beyond the tokens it emitted. */
export interface LiveState {
  /** Steps taken so far. */
  step: number;
  /** Running and finished hypotheses, best first within each state. */
  hypotheses: LiveHypothesis[];
  /** True once the search has ended. */
  done: boolean;
}

export interface StepEvent {
  panel: number;
  tokens: TokenRecord[];
  stats: PanelStats;
  /** The logit lab of this step, recorded only for the steps taken in step mode (protocol/lab.ts). */
  lab?: LabStep;
  /** The strategy's live state after this step (beam search's hypotheses), when it has one. */
  live?: LiveState;
}
