/**
 * CPU reference of kernels/wgsl/layerDivergence.wgsl (float64): DoLa's divergence between the
 * mature distribution P = softmax(a) and a premature one Q = softmax(b) over the first `n` entries.
 * `code` is the DoLa code's (and Hugging Face's) ½[KL(M‖P) + KL(M‖Q)] / n, M = ½(P + Q): the mean
 * over the vocabulary, not the textbook JSD, which is `jsd` = ½[KL(P‖M) + KL(Q‖M)] ∈ [0, ln 2].
 */
export interface LayerDivergence {
  code: number;
  jsd: number;
}

function lse(row: ArrayLike<number>, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, row[i]!);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(row[i]! - m);
  return m + Math.log(s);
}

/** The divergences of one premature row `b` from the mature row `a` over entries [0, n). */
export function layerDivergenceCpu(a: ArrayLike<number>, b: ArrayLike<number>, n: number = a.length): LayerDivergence {
  if (!Number.isInteger(n) || n < 1 || n > a.length || n > b.length) throw new Error(`layerDivergenceCpu: n must be an integer in [1, ${Math.min(a.length, b.length)}], got ${n}`);
  const la = lse(a, n);
  const lb = lse(b, n);
  let klMP = 0;
  let klMQ = 0;
  let klPM = 0;
  let klQM = 0;
  for (let i = 0; i < n; i++) {
    const lp = a[i]! - la;
    const lq = b[i]! - lb;
    const p = Math.exp(lp);
    const q = Math.exp(lq);
    const m = 0.5 * (p + q);
    if (m <= 0) continue;
    const lm = Math.log(m);
    klMP += m * (lm - lp);
    klMQ += m * (lm - lq);
    klPM += p * (lp - lm);
    klQM += q * (lq - lm);
  }
  return { code: (0.5 * (klMP + klMQ)) / n, jsd: 0.5 * (klPM + klQM) };
}
