/**
 * Verification rules of speculative decoding as pure functions, with the papers' names: d_i is the
 * i-th drafted token, p_i / q_i the target / draft distributions at its position, r_i the uniform.
 * Leviathan, Kalman, Matias 2023, https://arxiv.org/abs/2211.17192 (Algorithm 1);
 * Chen et al. 2023, https://arxiv.org/abs/2302.01318 (modified rejection sampling).
 */

/** How many drafts survived verification, and the uniforms r_1.. drawn on the way (sampling only). */
export interface Acceptance {
  /** n_acc ∈ [0, k]: d_1..d_{n_acc} are accepted. */
  accepted: number;
  /** r_i for each verified draft, in order (one per accepted draft plus the rejecting one). */
  r: number[];
}

function requireProb(name: string, v: number): void {
  if (!(v >= 0 && v <= 1 + 1e-6)) throw new RangeError(`${name} must be a probability in [0, 1], got ${v}`);
}

/**
 * Greedy verification: n_acc is the length of the longest prefix of drafts `d` that equal the target
 * argmax at the same position. `argmaxP[i]` is argmax p_{i+1}; it needs at least `d.length` entries.
 */
export function acceptGreedy(d: readonly number[], argmaxP: readonly number[]): number {
  if (argmaxP.length < d.length) throw new RangeError(`argmaxP needs at least ${d.length} entries (one per draft), got ${argmaxP.length}`);
  let n = 0;
  while (n < d.length && d[n] === argmaxP[n]) n++;
  return n;
}

/**
 * min(1, p_i(d_i) / q_i(d_i)): the probability of keeping a draft drawn from q_i. A token with
 * q_i(d_i) = 0 cannot have been drafted, so that is an error rather than an infinite ratio.
 */
export function acceptRatio(pD: number, qD: number): number {
  requireProb('p_i(d_i)', pD);
  requireProb('q_i(d_i)', qD);
  if (qD === 0) throw new RangeError(`q_i(d_i) is 0: a token the draft cannot produce was drafted (p_i(d_i) = ${pD})`);
  return Math.min(1, pD / qD);
}

/**
 * Sampling verification: for i = 1..k draw r_i ~ U(0,1) and accept d_i while r_i < min(1, p_i(d_i) /
 * q_i(d_i)); stop at the first rejection. `pD[i]` = p_{i+1}(d_{i+1}), `qD[i]` = q_{i+1}(d_{i+1}).
 */
export function acceptSampling(pD: readonly number[], qD: readonly number[], uniform: () => number): Acceptance {
  if (pD.length !== qD.length) throw new RangeError(`pD and qD must have one entry per draft, got ${pD.length} and ${qD.length}`);
  const r: number[] = [];
  for (let i = 0; i < pD.length; i++) {
    const ratio = acceptRatio(pD[i]!, qD[i]!);
    const ri = uniform();
    r.push(ri);
    if (!(ri < ratio)) return { accepted: i, r };
  }
  return { accepted: pD.length, r };
}

/**
 * norm(max(0, p − q)) over dense distributions of equal length. When the difference has no mass
 * (only possible when p == q, where rejection has probability 0) it falls back to p.
 */
export function residual(p: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  if (p.length !== q.length) throw new RangeError(`p and q must have the same length, got ${p.length} and ${q.length}`);
  const out = new Float64Array(p.length);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const v = Math.max(0, p[i]! - q[i]!);
    out[i] = v;
    sum += v;
  }
  if (sum <= 0) return Float64Array.from(p);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/**
 * One categorical draw by inverse CDF over ids in increasing order with a single uniform u ∈ [0, 1).
 * Weights need not sum to 1 (they are scaled by their total); returns the drawn index.
 */
export function sampleInverseCdf(weights: ArrayLike<number>, u: number): number {
  if (!(u >= 0 && u < 1)) throw new RangeError(`u must be a uniform in [0, 1), got ${u}`);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights[${i}] must be finite and non-negative, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new RangeError('weights have no mass: nothing to sample');
  const target = u * total;
  let cum = 0;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    cum += w;
    last = i;
    if (target < cum) return i;
  }
  // Rounding can leave target ≥ the running sum by an ulp: the last token with mass takes it.
  return last;
}

/** Result of one whole speculative-sampling iteration over dense distributions. */
export interface DenseIteration extends Acceptance {
  /** The token emitted after the accepted drafts: a residual sample on rejection, else the bonus. */
  next: number;
}

/**
 * The CPU oracle of one speculative-sampling iteration (docs/algorithms.md#sampling-verification): verify drafts `d` against
 * dense target rows `p` (k+1 of them) and draft rows `q` (k), then draw the correction from
 * norm(max(0, p_j − q_j)) at the first rejection j, or the bonus token from p_{k+1}.
 */
export function speculativeDense(d: readonly number[], p: readonly ArrayLike<number>[], q: readonly ArrayLike<number>[], uniform: () => number): DenseIteration {
  if (p.length !== d.length + 1 || q.length !== d.length) {
    throw new RangeError(`need k+1 target rows and k draft rows for k = ${d.length} drafts, got ${p.length} and ${q.length}`);
  }
  const pD = d.map((id, i) => p[i]![id]!);
  const qD = d.map((id, i) => q[i]![id]!);
  const acc = acceptSampling(pD, qD, uniform);
  const j = acc.accepted;
  const weights = j < d.length ? residual(p[j]!, q[j]!) : p[j]!;
  return { ...acc, next: sampleInverseCdf(weights, uniform()) };
}
