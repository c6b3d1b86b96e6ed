import type { RowSummary } from '../../../workers/decode/readout';
import type { Rng } from '../../../workers/rng';
import type { StopSignal } from '../../../workers/decode/stop';

/** One sampled token: its id, log-probability under the processed distribution, raw base summary. */
export interface TrialDraw {
  id: number;
  /** ln p̃(id) under the processed (chain-warped) distribution it was drawn from, ≤ 0. */
  logprob: number;
  /**
   * The base model's raw summary at that position (tokenLogit of `id` when it is outside the top),
   * or null while it waits on the device: the backend reads only the winning trial's summaries.
   */
  base: RowSummary | null;
}

/** How a trial ended. */
export type TrialEnd = 'punctuation' | 'eos' | 'cap';

/** One trial continuation. */
export interface Trial {
  draws: TrialDraw[];
  end: TrialEnd | null;
}

/** What batched trials need of the model (a SequenceRunner adapter; fakes in unit tests). */
export interface TrialBackend {
  /** Draw from the step's current distribution (shared by every trial), one draw per uniform. */
  drawFirst(uniforms: number[]): Promise<TrialDraw[]>;
  /**
   * Feed `tokens[i]` as batch row i in ONE forward (the rows are tiled from the step's state on the
   * first call and continue after that), then draw for each row in `active` with `uniforms[j]`.
   */
  advance(tokens: number[], active: number[], uniforms: number[]): Promise<TrialDraw[]>;
}

/** When a trial stops. */
export interface TrialStops {
  punctuation: ReadonlySet<number>;
  eos: ReadonlySet<number>;
  /** Longest trial, in tokens (≥ 1). */
  cap: number;
}

/** N trials and the chosen one. */
export interface TrialOutcome {
  trials: Trial[];
  perplexities: number[];
  /** Index of the lowest-perplexity trial (ties to the lowest index). */
  winner: number;
  /** Batched forward passes run. */
  forwards: number;
}

/** exp(−mean ln p̃) over a trial's tokens: its per-token perplexity under the processed distribution. */
export function perplexity(logprobs: readonly number[]): number {
  if (logprobs.length === 0) throw new RangeError('perplexity needs at least one token');
  return Math.exp(-logprobs.reduce((s, l) => s + l, 0) / logprobs.length);
}

/** Index of the smallest value, ties to the lowest index. */
export function argmin(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('argmin needs at least one value');
  let best = 0;
  values.forEach((v, i) => {
    if (v < values[best]!) best = i;
  });
  return best;
}

function endOf(t: Trial, stops: TrialStops): TrialEnd | null {
  const last = t.draws[t.draws.length - 1];
  if (!last) return null;
  if (stops.eos.has(last.id)) return 'eos';
  if (stops.punctuation.has(last.id)) return 'punctuation';
  return t.draws.length >= stops.cap ? 'cap' : null;
}

/**
 * Run `n` ≥ 2 trials as one batch: trial 0 starts with `first` (already drawn from the step's
 * distribution with its own uniform), trials 1..n−1 draw their first tokens from the same
 * distribution, then every unfinished row draws once per batched forward, one uniform per draw, rows
 * in index order. Finished rows keep being fed (their last token) and draw nothing. `stop` is polled
 * before every batched forward (a step can be 256 of them).
 */
export async function runTrials(n: number, first: TrialDraw, backend: TrialBackend, rng: Rng, stops: TrialStops, stop?: StopSignal): Promise<TrialOutcome> {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`runTrials needs n ≥ 2 trials, got ${n}`);
  if (!Number.isInteger(stops.cap) || stops.cap < 1) throw new RangeError(`trialCap must be a positive integer, got ${stops.cap}`);
  const rest = await backend.drawFirst(Array.from({ length: n - 1 }, () => rng.next()));
  const trials: Trial[] = [first, ...rest].map((d) => ({ draws: [d], end: null }));
  for (const t of trials) t.end = endOf(t, stops);
  let forwards = 0;
  for (;;) {
    const active = trials.flatMap((t, i) => (t.end === null ? [i] : []));
    if (active.length === 0) break;
    await stop?.checkpoint();
    const tokens = trials.map((t) => t.draws[t.draws.length - 1]!.id);
    const draws = await backend.advance(tokens, active, active.map(() => rng.next()));
    forwards++;
    active.forEach((row, j) => {
      const t = trials[row]!;
      const d = draws[j];
      if (!d) throw new Error(`the trial batch returned no draw for row ${row}`);
      t.draws.push(d);
      t.end = endOf(t, stops);
    });
  }
  const perplexities = trials.map((t) => perplexity(t.draws.map((d) => d.logprob)));
  return { trials, perplexities, winner: argmin(perplexities), forwards };
}
