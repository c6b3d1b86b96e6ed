// Reference forward of the built-in models in plain TypeScript: the oracle for ONNX parity tests
// and for the end-to-end tests' greedy comparison. Weights are re-derived from spec + seed (the
// ONNX file is never parsed). Dot products accumulate in float64; every vector is rounded to
// float32 between ops, which keeps results within ~1e-5 of onnxruntime's float32 kernels.
import { EOS_ID, TOKENIZER_VOCAB_SIZE, loadSpec, type ModelSpec } from './specs';
import { modelWeights, type LayerWeights, type ModelWeights } from './weights';

export { BOS_ID, EOS_ID, PAD_ID, TOKENIZER_VOCAB_SIZE, builtinNames, loadSpec, type ModelSpec } from './specs';

/** x [n] · W [n, m] (row-major) → [m], float64 accumulation rounded to float32. */
function matvec(x: Float32Array, w: Float32Array, m: number): Float32Array {
  const acc = new Float64Array(m);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? 0;
    const row = i * m;
    for (let j = 0; j < m; j++) acc[j] = (acc[j] ?? 0) + xi * (w[row + j] ?? 0);
  }
  return Float32Array.from(acc);
}

function rmsNorm(x: Float32Array, w: Float32Array, eps: number): Float32Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const den = Math.sqrt(Math.fround(ss / x.length) + eps);
  return x.map((v, i) => (v / den) * (w[i] ?? 0));
}

/** In-place rotate-half RoPE of `heads` heads of width headDim at position `pos`. */
function rope(x: Float32Array, heads: number, pos: number, spec: ModelSpec, w: ModelWeights): void {
  const half = spec.headDim / 2;
  for (let h = 0; h < heads; h++) {
    const base = h * spec.headDim;
    for (let i = 0; i < half; i++) {
      const c = w.ropeCos[pos * half + i] ?? 0;
      const s = w.ropeSin[pos * half + i] ?? 0;
      const x1 = x[base + i] ?? 0;
      const x2 = x[base + half + i] ?? 0;
      x[base + i] = x1 * c - x2 * s;
      x[base + half + i] = x2 * c + x1 * s;
    }
  }
}

/** Causal attention of one query q [heads·headDim] over cached keys/values [t][kvHeads·headDim]. */
function attend(q: Float32Array, keys: Float32Array[], values: Float32Array[], spec: ModelSpec): Float32Array {
  const d = spec.headDim;
  const group = spec.numHeads / spec.numKvHeads;
  const scale = 1 / Math.sqrt(d);
  const out = new Float32Array(spec.numHeads * d);
  for (let h = 0; h < spec.numHeads; h++) {
    const kvBase = Math.floor(h / group) * d;
    const scores = keys.map((k) => {
      let s = 0;
      for (let i = 0; i < d; i++) s += (q[h * d + i] ?? 0) * (k[kvBase + i] ?? 0);
      return s * scale;
    });
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    for (let i = 0; i < d; i++) {
      let acc = 0;
      values.forEach((v, j) => (acc += (exps[j] ?? 0) * (v[kvBase + i] ?? 0)));
      out[h * d + i] = acc / sum;
    }
  }
  return out;
}

/** Incremental reference decoder for one sequence without padding (position = index). */
export class ReferenceSession {
  /** Config numbers of the model. */
  readonly spec: ModelSpec;
  private readonly w: ModelWeights;
  private readonly keys: Float32Array[][];
  private readonly values: Float32Array[][];

  /** Opens an empty sequence on built-in model `name` (with other weights, e.g. dequantized ones, when given). */
  constructor(name: string, weights?: ModelWeights) {
    this.spec = loadSpec(name);
    this.w = weights ?? modelWeights(name);
    this.keys = this.w.layers.map(() => []);
    this.values = this.w.layers.map(() => []);
  }

  /** Tokens consumed so far. */
  get length(): number {
    return this.keys[0]?.length ?? 0;
  }

  /** Appends token `id`; returns its logits [vocabSize] and final-norm hidden state [hiddenSize]. */
  push(id: number): { logits: Float32Array; hidden: Float32Array } {
    const { spec, w } = this;
    if (!Number.isInteger(id) || id < 0 || id >= spec.vocabSize) {
      throw new RangeError(`id must be an integer in [0, ${spec.vocabSize}), got ${id}`);
    }
    const pos = this.length;
    if (pos >= spec.maxPositions) throw new RangeError(`sequence length must stay below ${spec.maxPositions}, got ${pos + 1}`);
    const h = spec.hiddenSize;
    let x: Float32Array = w.embed.slice(id * h, (id + 1) * h);
    w.layers.forEach((lw, l) => (x = this.layer(l, lw, x, pos)));
    const hidden = rmsNorm(x, w.finalNorm, spec.rmsNormEps);
    const logits = matvec(hidden, w.lmHead, spec.vocabSize);
    if (w.lmBias) logits.forEach((v, i, a) => (a[i] = v + (w.lmBias?.[i] ?? 0)));
    return { logits, hidden };
  }

  private layer(l: number, lw: LayerWeights, x: Float32Array, pos: number): Float32Array {
    const { spec, w } = this;
    const kvw = spec.numKvHeads * spec.headDim;
    const a = rmsNorm(x, lw.inputNorm, spec.rmsNormEps);
    const q = matvec(a, lw.wq, spec.numHeads * spec.headDim);
    const k = matvec(a, lw.wk, kvw);
    rope(q, spec.numHeads, pos, spec, w);
    rope(k, spec.numKvHeads, pos, spec, w);
    this.keys[l]?.push(k);
    this.values[l]?.push(matvec(a, lw.wv, kvw));
    const ctx = attend(q, this.keys[l] ?? [], this.values[l] ?? [], spec);
    const attnOut = matvec(ctx, lw.wo, spec.hiddenSize);
    const x1 = x.map((v, i) => v + (attnOut[i] ?? 0));
    const m = rmsNorm(x1, lw.postNorm, spec.rmsNormEps);
    const gate = matvec(m, lw.wGate, spec.intermediateSize);
    const up = matvec(m, lw.wUp, spec.intermediateSize);
    const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] ?? 0));
    const down = matvec(act, lw.wDown, spec.hiddenSize);
    return x1.map((v, i) => v + (down[i] ?? 0));
  }
}

/** Per-token output of the reference: logits [vocabSize] and last_hidden_state [hiddenSize]. */
export interface ReferenceRows {
  /** One logits row per position, full lm_head width. */
  logits: Float32Array[];
  /** One final-norm hidden state per position. */
  hidden: Float32Array[];
}

/** Logits and last_hidden_state for every position of `ids` (positions 0..n-1, no padding). */
export function referenceForward(name: string, ids: number[]): ReferenceRows {
  const s = new ReferenceSession(name);
  const steps = ids.map((id) => s.push(id));
  return { logits: steps.map((r) => r.logits), hidden: steps.map((r) => r.hidden) };
}

/** Logits of every position of `ids`, one row of full lm_head width (vocabSize, incl. padded rows) each. */
export function referenceLogits(name: string, ids: number[]): Float32Array[] {
  return referenceForward(name, ids).logits;
}

/** One greedy choice with the softmax stats of the masked row (natural log). */
export interface GreedyPick {
  /** Chosen token id (< tokenizer vocab size). */
  id: number;
  /** Its probability under the masked softmax. */
  prob: number;
  /** Its log-probability (nats). */
  logprob: number;
  /** Entropy of the masked softmax (nats). */
  entropy: number;
}

/** Greedy choice over rows < `tokenizerVocab` of one logits row (ties → lower id). */
export function maskedGreedyPick(row: Float32Array, tokenizerVocab = TOKENIZER_VOCAB_SIZE): GreedyPick {
  let id = 0;
  for (let i = 1; i < tokenizerVocab; i++) if ((row[i] ?? -Infinity) > (row[id] ?? -Infinity)) id = i;
  const max = row[id] ?? 0;
  let sum = 0;
  for (let i = 0; i < tokenizerVocab; i++) sum += Math.exp((row[i] ?? 0) - max);
  const lse = max + Math.log(sum);
  let entropy = 0;
  for (let i = 0; i < tokenizerVocab; i++) {
    const lp = (row[i] ?? 0) - lse;
    entropy -= Math.exp(lp) * lp;
  }
  const logprob = max - lse;
  return { id, prob: Math.exp(logprob), logprob, entropy };
}

/** A greedy run: generated ids (prompt excluded) and per-token prob, logprob, entropy (nats). */
export interface GreedyRun {
  /** Generated ids; the last one is `eosId` when generation stopped on it. */
  ids: number[];
  /** Masked-softmax probability of each generated id. */
  probs: number[];
  /** Natural-log probability of each generated id. */
  logprobs: number[];
  /** Entropy (nats) of the masked softmax at each step. */
  entropies: number[];
}

/**
 * Greedy continuation of `promptIds` for up to `maxNewTokens`, masking rows ≥ 258 and stopping after
 * `eosId`; `weights` replaces the model's own (the exporter-layout variants' dequantized weights).
 */
export function referenceGreedy(name: string, promptIds: number[], maxNewTokens: number, eosId: number = EOS_ID, weights?: ModelWeights): GreedyRun {
  if (promptIds.length === 0) throw new RangeError('promptIds must not be empty, got []');
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) throw new RangeError(`maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
  const s = new ReferenceSession(name, weights);
  let row = promptIds.map((id) => s.push(id)).at(-1)?.logits ?? new Float32Array();
  const out: GreedyRun = { ids: [], probs: [], logprobs: [], entropies: [] };
  for (let step = 0; step < maxNewTokens; step++) {
    const pick = maskedGreedyPick(row);
    out.ids.push(pick.id);
    out.probs.push(pick.prob);
    out.logprobs.push(pick.logprob);
    out.entropies.push(pick.entropy);
    if (pick.id === eosId || step === maxNewTokens - 1) break;
    row = s.push(pick.id).logits;
  }
  return out;
}
