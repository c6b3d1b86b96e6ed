/** The run record (docs/run-format.md) and the step events streamed while it is filled. */
import type { SmcLive, SuperposedLive, TokenAnnotations } from './annotations';
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
  /**
   * The logit lens at this token's position, when recorded (docs/algorithms.md#logit-lens): one entry
   * per layer, 0 = the embedding … L = the model's output, each with its top tokens.
   */
  lens?: LensEntry[];
}

/** One layer's logit lens at a position: the top tokens of softmax(lm_head(finalNorm(h_layer))). */
export interface LensEntry {
  layer: number;
  top: TopEntry[];
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
  /**
   * Layers the logit lens covers (L + 1 rows: the embedding and every layer) when the model outputs
   * them; 0 when it does not; absent in older records.
   */
  lensLayers?: number;
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
  /** Finished only: S and ℓ (new tokens, the end token included), so the UI can re-rank by S / ℓ^λ. */
  sum?: number;
  length?: number;
  /** Finished only: index of its last token's node in `LiveState.tree`'s step `length − 1`, when that step is held. */
  node?: number;
}

/**
 * One candidate of a search step in the live tree (beam search: one that entered its group's top K).
 * The step is the index of the list that holds it.
 */
export interface LiveTreeNode {
  /** Index of the node it extends in the previous step's list; −1: the prompt, or a step no longer held. */
  parent: number;
  id: number;
  text: string;
  /** Log-probability of the token (after the diversity penalty), and that penalty (absent when 0). */
  lp: number;
  penalty?: number;
  /** S of the hypothesis it ends. */
  score: number;
  group: number;
  /** kept: a running beam after the step (its index in `beam`); finished: a finished hypothesis still held; pruned: dropped (finished ones pushed out by better ones included). */
  state: 'kept' | 'finished' | 'pruned';
  beam?: number;
}

/** Most steps a LiveTree holds (the earlier ones are dropped: a step event stays small). */
export const LIVE_TREE_STEPS = 64;

/** The search as a tree (beam search): the candidates of the last steps, at most LIVE_TREE_STEPS held. */
export interface LiveTree {
  /** Step of `steps[0]` (0 = the first new token); earlier steps are dropped. */
  first: number;
  /** Per held step, its candidates in their group's score order. */
  steps: LiveTreeNode[][];
  /** Last node (absolute step, index) of the hypothesis to highlight: the best running beam while the search runs, the output once it has ended; null when not held. */
  head: { step: number; node: number } | null;
  /** λ_L the search ranks finished hypotheses with (S / ℓ^λ_L). */
  lengthPenalty: number;
}

/** What a search strategy holds after a step, beyond the tokens it emitted. */
export interface LiveState {
  /** Steps taken so far. */
  step: number;
  /** Running and finished hypotheses, best first within each state. */
  hypotheses: LiveHypothesis[];
  /** True once the search has ended. */
  done: boolean;
  /** The search tree of the last steps (beam search). */
  tree?: LiveTree;
  /** The particle system (SMC reward-guided decoding): lineages, ESS, weights. */
  smc?: SmcLive;
  /** The drafts and the last superposition (superposed decoding). */
  superposed?: SuperposedLive;
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
