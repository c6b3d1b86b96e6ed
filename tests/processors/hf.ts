// An independent float64 transcription of Hugging Face's documented processors (logits_process.py),
// written from the docs, not from our code: the oracle the CPU chain is compared against.

/** CTRL penalty over the distinct ids of `history`: positive ÷ θ, negative × θ. */
export function hfRepetition(z: number[], history: number[], theta: number): number[] {
  const out = [...z];
  for (const id of new Set(history)) {
    const v = out[id]!;
    out[id] = v < 0 ? v * theta : v / theta;
  }
  return out;
}

/** z / T. */
export function hfTemperature(z: number[], t: number): number[] {
  return z.map((v) => v / t);
}

/** Keep z ≥ the k-th largest (ties kept); k = 0 off. */
export function hfTopK(z: number[], k: number): number[] {
  if (k === 0) return z;
  const sorted = z.filter((v) => v !== -Infinity).sort((a, b) => b - a);
  if (k >= sorted.length) return z;
  const thr = sorted[k - 1]!;
  return z.map((v) => (v < thr ? -Infinity : v));
}

/** softmax in f64 (-inf → 0). */
export function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => (v === -Infinity ? 0 : Math.exp(v - m)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Sort ascending (ties: higher id first), remove where the ascending cumsum ≤ 1 − p, keep the last. */
export function hfTopP(z: number[], p: number): number[] {
  if (p >= 1) return z;
  const probs = softmax(z);
  const order = probs.map((q, id) => ({ q, id })).sort((a, b) => a.q - b.q || b.id - a.id);
  const out = [...z];
  let cum = 0;
  order.forEach(({ q, id }, i) => {
    cum += q;
    if (cum <= 1 - p && i < order.length - 1) out[id] = -Infinity;
  });
  return out;
}

/** Remove p < minP · max p. */
export function hfMinP(z: number[], minP: number): number[] {
  if (minP === 0) return z;
  const probs = softmax(z);
  const thr = minP * Math.max(...probs);
  return z.map((v, i) => (probs[i]! < thr ? -Infinity : v));
}

/**
 * TypicalLogitsWarper: H = −Σ p ln p, order by |−ln p − H| ascending, keep every token whose key is
 * ≤ the key of the first token at which the cumulative probability reaches `mass` (ties with it
 * kept), at least one.
 */
export function hfTypical(z: number[], mass: number): number[] {
  if (mass >= 1) return z;
  const probs = softmax(z);
  const ent = -probs.reduce((s, q) => (q > 0 ? s + q * Math.log(q) : s), 0);
  const order = probs.map((q, id) => ({ q, id, key: q > 0 ? Math.abs(-Math.log(q) - ent) : Infinity })).sort((a, b) => a.key - b.key);
  let cum = 0;
  let last = 0;
  for (const { q } of order) {
    cum += q;
    if (cum < mass) last++;
  }
  const limit = order[Math.min(last, order.length - 1)]!.key;
  return z.map((v, i) => (probs[i]! > 0 && Math.abs(-Math.log(probs[i]!) - ent) <= limit ? v : -Infinity));
}

/** Entropy in nats of softmax(z) (p = 0 terms skipped). */
export function entropyNats(z: number[]): number {
  return -softmax(z).reduce((s, q) => (q > 0 ? s + q * Math.log(q) : s), 0);
}

/** Keep every token at the largest finite logit (min_tokens_to_keep = 1) and every p ≥ cut. */
function keepAbove(z: number[], cut: number): number[] {
  const probs = softmax(z);
  const top = Math.max(...z);
  return z.map((v, i) => (probs[i]! < cut && v < top ? -Infinity : v));
}

/** EpsilonLogitsWarper: remove p < ε unless at the largest logit; ε = 0 off. */
export function hfEpsilon(z: number[], epsilon: number): number[] {
  if (epsilon === 0) return z;
  return keepAbove(z, epsilon);
}

/** The cutoff η = min(ε, √ε · e^(−H)) of EtaLogitsWarper (the code's form, H in nats). */
export function hfEtaCut(z: number[], epsilon: number): number {
  return Math.min(epsilon, Math.sqrt(epsilon) * Math.exp(-entropyNats(z)));
}

/** EtaLogitsWarper: remove p < η unless at the largest logit; ε = 0 off. */
export function hfEta(z: number[], epsilon: number): number[] {
  if (epsilon === 0) return z;
  return keepAbove(z, hfEtaCut(z, epsilon));
}

/** Presence penalty (OpenAI / llama.cpp): α subtracted once from every id in the history. */
export function hfPresence(z: number[], history: number[], alpha: number): number[] {
  const out = [...z];
  for (const id of new Set(history)) out[id] = out[id]! - alpha;
  return out;
}

/** The whole chain in HF order (greedy: the penalties only). */
export function hfChain(z: number[], c: { temperature: number; topK: number; topP: number; minP: number; typicalP?: number; epsilonCutoff?: number; etaCutoff?: number; repetitionPenalty: number; presencePenalty?: number }, history: number[]): number[] {
  let out = hfPresence(hfRepetition(z, history, c.repetitionPenalty), history, c.presencePenalty ?? 0);
  if (c.temperature < 1e-5) return out;
  out = hfTemperature(out, c.temperature);
  out = hfTopK(out, c.topK);
  out = hfTopP(out, c.topP);
  out = hfMinP(out, c.minP);
  out = hfTypical(out, c.typicalP ?? 1);
  out = hfEpsilon(out, c.epsilonCutoff ?? 0);
  return hfEta(out, c.etaCutoff ?? 0);
}

/** Kept ids (finite entries). */
export function keptIds(z: ArrayLike<number>): number[] {
  return Array.from(z).flatMap((v, i) => (v === -Infinity ? [] : [i]));
}

/** Upper 0.001 quantile of chi-square with df degrees of freedom (df ≤ 12). */
export function chiSquareCritical001(df: number): number {
  const table = [10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588, 31.264, 32.909];
  const v = table[df - 1];
  if (v === undefined) throw new Error(`no chi-square critical value for df = ${df}`);
  return v;
}

/** Pearson chi-square statistic of counts against probabilities (cells with p = 0 must be empty). */
export function chiSquare(counts: number[], probs: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  let stat = 0;
  probs.forEach((p, i) => {
    const c = counts[i] ?? 0;
    if (p === 0) {
      if (c > 0) stat = Infinity;
      return;
    }
    stat += (c - n * p) ** 2 / (n * p);
  });
  return stat;
}
