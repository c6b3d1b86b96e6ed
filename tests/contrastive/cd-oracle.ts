// Independent CPU reference of contrastive decoding (docs/algorithms.md#contrastive-decoding) in float64: the oracle the
// unit and end-to-end tests compare the strategy (fused GPU kernel or CPU fusion) against.
import type { ContrastSettings } from '../../strategies/contrastive/worker/cd-settings';

/** The contrast over one position, ids [0, n). */
export interface OracleRow {
  /** Score per id, −∞ outside V_head. */
  scores: Float64Array;
  /** |V_head|. */
  headSize: number;
  /** log α + max z_E. */
  threshold: number;
}

/** CTRL repetition penalty over the distinct ids of `history` (HF semantics), on a copy. */
export function penalise(row: ArrayLike<number>, history: readonly number[], theta: number): Float64Array {
  const out = Float64Array.from(row as ArrayLike<number>);
  for (const id of new Set(history)) {
    const z = out[id]!;
    out[id] = z > 0 ? z / theta : z * theta;
  }
  return out;
}

/**
 * Logit form: s = (1+β)·z_E − β·z_A; log-prob form: s = log p_E − log softmax(z_A/τ_A); both −∞
 * outside V_head = {z_E ≥ log α + max z_E}. Rows are already processed (penalised); ids [0, n).
 */
export function oracleRow(expert: ArrayLike<number>, amateur: ArrayLike<number>, n: number, s: ContrastSettings): OracleRow {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, expert[i]!);
  const threshold = Math.log(s.alpha) + max;
  const lseE = logSumExp(expert, n, 1);
  const lseA = logSumExp(amateur, n, s.amateurTemperature);
  const scores = new Float64Array(n).fill(-Infinity);
  let headSize = 0;
  for (let i = 0; i < n; i++) {
    const zE = expert[i]!;
    if (!(zE >= threshold)) continue;
    headSize++;
    const zA = amateur[i]!;
    scores[i] = s.form === 'logit' ? (1 + s.beta) * zE - s.beta * zA : zE - lseE - (zA / s.amateurTemperature - lseA);
  }
  return { scores, headSize, threshold };
}

/** Greedy CD choice: highest score; ties to the higher expert logit, then the lower id. */
export function oracleArgmax(row: OracleRow, expert: ArrayLike<number>): number {
  let best = -1;
  row.scores.forEach((s, i) => {
    if (s === -Infinity) return;
    if (best < 0 || s > row.scores[best]! || (s === row.scores[best]! && expert[i]! > expert[best]!)) best = i;
  });
  return best;
}

/** Highest and second-highest score margin among V_head (to skip near-ties that float32 may flip). */
export function topMargin(row: OracleRow): number {
  const s = Array.from(row.scores).filter((x) => x > -Infinity).sort((a, b) => b - a);
  return s.length < 2 ? Infinity : s[0]! - s[1]!;
}

function logSumExp(row: ArrayLike<number>, n: number, t: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, row[i]! / t);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(row[i]! / t - m);
  return m + Math.log(sum);
}
