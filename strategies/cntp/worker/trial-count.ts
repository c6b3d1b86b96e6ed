/**
 * How many trials Cautious Next Token Prediction runs at a step (Wang et al., "Cautious Next Token
 * Prediction", Findings of ACL 2025, https://arxiv.org/abs/2507.03038; code github.com/wyzjack/CNTP).
 */

/** The thresholds and the trial budget. */
export interface TrialCountSettings {
  /** Entropy (nats) at or below which the step never branches. ≥ 0. */
  hLow: number;
  /** Entropy (nats) at or above which the step runs maxTrials trials. ≥ 0. */
  hHigh: number;
  /** N_max, a positive integer. */
  maxTrials: number;
  /** Use the paper's ⌊norm·N_max⌋ (clamped to [1, N_max]) instead of the released code's 1 + ⌊(N_max − 1)·norm⌋. */
  paperForm: boolean;
}

/**
 * The entropy mapped to [0, 1]: clamp((H − hLow) / (hHigh − hLow), 0, 1), with H ≤ hLow giving 0 and
 * H ≥ hHigh giving 1 first, so hLow above every reachable entropy disables branching even when
 * hLow ≥ hHigh. Non-decreasing in H.
 */
export function normalizedEntropy(h: number, hLow: number, hHigh: number): number {
  if (Number.isNaN(h)) throw new RangeError('entropy must be a number, got NaN');
  if (h <= hLow) return 0;
  if (h >= hHigh) return 1;
  return (h - hLow) / (hHigh - hLow);
}

/** N for entropy `h` (nats, of the processed distribution); always an integer in [1, maxTrials]. */
export function trialCount(h: number, s: TrialCountSettings): number {
  const norm = normalizedEntropy(h, s.hLow, s.hHigh);
  // Python's int() truncation, as in the reference code.
  const n = s.paperForm ? Math.trunc(norm * s.maxTrials) : Math.trunc(1 + (s.maxTrials - 1) * norm);
  return Math.max(1, Math.min(s.maxTrials, n));
}

/** Check the settings at the boundary; errors name the parameter and the value. */
export function validateTrialCount(s: TrialCountSettings): TrialCountSettings {
  if (!(s.hLow >= 0 && Number.isFinite(s.hLow))) throw new RangeError(`hLow must be a finite number ≥ 0, got ${s.hLow}`);
  if (!(s.hHigh >= 0 && Number.isFinite(s.hHigh))) throw new RangeError(`hHigh must be a finite number ≥ 0, got ${s.hHigh}`);
  if (!Number.isInteger(s.maxTrials) || s.maxTrials < 1) throw new RangeError(`maxTrials must be a positive integer, got ${s.maxTrials}`);
  return s;
}
