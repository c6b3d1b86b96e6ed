/**
 * Recursive speculative decoding over k candidates for ONE position (Jeon et al. 2024,
 * https://arxiv.org/abs/2402.14160), as pure functions over dense distributions
 * (docs/algorithms.md#multi-draft). Built on the single-draft rules of ../../speculative/worker/verify.ts.
 */
import { acceptRatio, residual, sampleInverseCdf } from '../../speculative/worker/verify';

/** Without x (set to 0), renormalised; all zeros when x held all the mass. */
export function without(q: ArrayLike<number>, x: number): Float64Array {
  const out = Float64Array.from(q as ArrayLike<number>);
  out[x] = 0;
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]!;
  if (sum > 0) for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Tokens with positive mass. */
export function supportSize(q: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < q.length; i++) if (q[i]! > 0) n++;
  return n;
}

/**
 * k distinct candidates drawn WITHOUT replacement from q: c^1 ~ q, c^i ~ q with c^1..c^{i−1} removed
 * (renormalised), each by inverse CDF over ids with one uniform. This is the law of Gumbel-top-k
 * (the k largest log q(v) + G_v) with k uniforms instead of one per token. k is cut to q's support.
 */
export function drawWithoutReplacement(q: ArrayLike<number>, k: number, uniform: () => number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const n = Math.min(k, supportSize(q));
  let rest: Float64Array = Float64Array.from(q as ArrayLike<number>);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = sampleInverseCdf(rest, uniform());
    out.push(c);
    rest = without(rest, c);
  }
  return out;
}

/**
 * Greedy candidates: the k tokens with the largest processed logits `y` (ties to the lower id), among
 * the finite ones; the first is the processed argmax, i.e. the single-draft greedy draft.
 */
export function greedyCandidates(y: ArrayLike<number>, k: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const ids: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i]! > -Infinity) ids.push(i);
  ids.sort((a, b) => y[b]! - y[a]! || a - b);
  return ids.slice(0, k);
}

/** One stage of the recursive rejection. */
export interface RsdStage {
  /** p_i(x_i), q_i(x_i). */
  p: number;
  q: number;
  /** The uniform drawn. */
  r: number;
  accepted: boolean;
  /** After a rejection: Σ max(0, p_i − q_i) (0: p_{i+1} fell back to p_i). */
  residualMass?: number;
}

/** Result of recursive rejection at one position. */
export interface RsdResult {
  /** Index of the accepted candidate, or null when all were rejected. */
  accepted: number | null;
  /** The emitted token: the accepted candidate, or the draw from p_{k+1}. */
  token: number;
  /** One entry per verified candidate, in order. */
  stages: RsdStage[];
}

function massOf(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.max(0, p[i]! - q[i]!);
  return s;
}

/**
 * Recursive rejection over distinct candidates x_1..x_k drawn without replacement from q:
 * for i = 1..k accept x_i iff r_i < min(1, p_i(x_i)/q_i(x_i)) (one uniform); else
 * p_{i+1} = norm(max(0, p_i − q_i)) (p_i when that has no mass) and q_{i+1} = q_i without x_i.
 * If all are rejected, one more uniform draws the token from p_{k+1}. Uniform order: r_1, r_2, …, then
 * the residual draw. With k = 1 this is §5's single-draft step with the same uniforms.
 */
export function recursiveRejection(p: ArrayLike<number>, q: ArrayLike<number>, candidates: readonly number[], uniform: () => number): RsdResult {
  if (p.length !== q.length) throw new RangeError(`p and q must have the same length, got ${p.length} and ${q.length}`);
  if (new Set(candidates).size !== candidates.length) throw new RangeError(`candidates must be distinct, got ${candidates.join(', ')}`);
  let pi: Float64Array = Float64Array.from(p as ArrayLike<number>);
  let qi: Float64Array = Float64Array.from(q as ArrayLike<number>);
  const stages: RsdStage[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const x = candidates[i]!;
    const ratio = acceptRatio(Math.min(1, pi[x]!), Math.min(1, qi[x]!));
    const r = uniform();
    if (r < ratio) {
      stages.push({ p: pi[x]!, q: qi[x]!, r, accepted: true });
      return { accepted: i, token: x, stages };
    }
    const mass = massOf(pi, qi);
    stages.push({ p: pi[x]!, q: qi[x]!, r, accepted: false, residualMass: mass });
    pi = residual(pi, qi);
    qi = without(qi, x);
  }
  return { accepted: null, token: sampleInverseCdf(pi, uniform()), stages };
}

/** Greedy root decision: the candidate equal to argmax p is accepted, else argmax p is emitted. */
export function greedyRoot(argmaxP: number, candidates: readonly number[]): { accepted: number | null; token: number } {
  const at = candidates.indexOf(argmaxP);
  return { accepted: at >= 0 ? at : null, token: argmaxP };
}
