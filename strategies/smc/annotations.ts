/**
 * Sequential Monte Carlo reward-guided decoding's annotations: `kind: 'smc'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** One particle during one step (lane j = particle j during the step, before resampling). */
export type SmcLane = {
  /** Lane of the previous step its prefix ended in (−1 at step 0). */
  parent: number;
  /** Token it drew, or null when frozen (finished or dead). */
  id: number | null;
  text: string;
  /** log p_T of the drawn token, and the log-weight increment Δw (0 when frozen). */
  lp: number;
  dw: number;
  /** Log-weight after the step (before resampling), normalised weight, and the prefix reward r_t. */
  logw: number;
  weight: number;
  reward: number;
  state: 'running' | 'finished' | 'dead';
};

/** A particle at the end: its whole text, final log-weight and normalised weight. */
export type SmcCompletion = {
  particle: number;
  text: string;
  logw: number;
  weight: number;
  reward: number;
  state: 'running' | 'finished' | 'dead';
  /** True for the output (the highest-weight completion; copies of one text pool their weights). */
  output: boolean;
};

/** One SMC token. */
export type SmcAnnotations = {
  kind: 'smc';
  /** The step that drew the token (0 = the first new token). */
  step: number;
  /** N, α (1 / temperature), the proposal and the reward. */
  particles: number;
  alpha: number;
  proposal: 'target' | 'draft';
  reward: 'likelihood' | 'keyword' | 'regex' | 'length';
  /** Lane (particle during the step) of the output's lineage that drew the token. */
  lane: number;
  /** log p_T and log q of the token, and its Δw. */
  lp: number;
  lq: number;
  dw: number;
  /** ESS after the step's weight update, and the resampling threshold essThreshold · N. */
  ess: number;
  threshold: number;
  /** The ancestors systematic resampling chose after this step (absent: no resampling). */
  ancestors?: number[];
  /** Every lane this step. */
  lanes: SmcLane[];
  /** Last token only: every particle at the end (the output marked), the ESS of every step, the resampling steps and why the run stopped. */
  final?: SmcCompletion[];
  essTrace?: number[];
  resampledAt?: number[];
  stop?: 'end of sequence' | 'budget';
};

/** One step of the live lineage view. */
export type SmcLiveStep = {
  ess: number;
  resampled: boolean;
  lanes: { parent: number; id: number | null; text: string; weight: number; state: SmcLane['state'] }[];
};

/** The particle system as the panel shows it live (LiveState.smc). */
export type SmcLive = {
  particles: number;
  threshold: number;
  /** Step of `steps[0]` (earlier ones dropped). */
  first: number;
  steps: SmcLiveStep[];
  /** Lane of the highest-weight particle at the last step. */
  head: number;
  resamplings: number;
  /** Every particle's text after the emitted tokens, with its weight (best first). */
  completions: SmcCompletion[];
};
