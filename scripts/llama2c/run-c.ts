// A TypeScript port of llama2.c's run.c (karpathy/llama2.c at 350e04f): the forward pass
// (RMSNorm, interleaved RoPE computed as run.c does, GQA, SwiGLU, tied or separate classifier), the
// tokenizer's encode() and greedy generation. Test oracle for the llama2.c importer and the
// built-in trained models; never shipped. Reads checkpoints with the importer's own parser only for
// the byte layout (the math below is independent of the ONNX graph).
import { readLlama2cCheckpoint, type Llama2cWeights } from '../../workers/llama2c/checkpoint';
import { readLlama2cTokenizer, type Llama2cVocab } from '../../workers/llama2c/tokenizer-bin';

/** run.c's Transformer: weights plus its KV cache, one position at a time. */
export class RunC {
  private readonly keyCache: Float32Array;
  private readonly valueCache: Float32Array;
  readonly w: Llama2cWeights;

  constructor(checkpoint: Uint8Array) {
    this.w = readLlama2cCheckpoint(checkpoint, 'checkpoint');
    const h = this.w.header;
    const kvDim = (h.dim * h.nKvHeads) / h.nHeads;
    this.keyCache = new Float32Array(h.nLayers * h.seqLen * kvDim);
    this.valueCache = new Float32Array(h.nLayers * h.seqLen * kvDim);
  }

  /** Logits [vocab] after feeding `token` at position `pos` (positions must be fed in order). */
  forward(token: number, pos: number): Float64Array {
    const { w } = this;
    const h = w.header;
    const dim = h.dim;
    const hs = dim / h.nHeads;
    const kvDim = h.nKvHeads * hs;
    const kvMul = h.nHeads / h.nKvHeads;
    const x = Float64Array.from(w.tokenEmbedding.subarray(token * dim, (token + 1) * dim));
    for (let l = 0; l < h.nLayers; l++) {
      const xb = rmsnorm(x, w.rmsAtt[l]!);
      const q = matmul(xb, w.wq[l]!, dim, dim);
      const k = matmul(xb, w.wk[l]!, dim, kvDim);
      const v = matmul(xb, w.wv[l]!, dim, kvDim);
      for (let i = 0; i < dim; i += 2) {
        const headDim = i % hs;
        const freq = 1 / Math.pow(10000, headDim / hs);
        const val = pos * freq;
        const fcr = Math.cos(val);
        const fci = Math.sin(val);
        const rotn = i < kvDim ? 2 : 1;
        for (let r = 0; r < rotn; r++) {
          const vec = r === 0 ? q : k;
          const v0 = vec[i]!;
          const v1 = vec[i + 1]!;
          vec[i] = v0 * fcr - v1 * fci;
          vec[i + 1] = v0 * fci + v1 * fcr;
        }
      }
      const loff = l * h.seqLen * kvDim;
      this.keyCache.set(k, loff + pos * kvDim);
      this.valueCache.set(v, loff + pos * kvDim);
      const xb2 = new Float64Array(dim);
      for (let hd = 0; hd < h.nHeads; hd++) {
        const att = new Float64Array(pos + 1);
        const kvh = Math.floor(hd / kvMul) * hs;
        for (let t = 0; t <= pos; t++) {
          let score = 0;
          for (let i = 0; i < hs; i++) score += q[hd * hs + i]! * this.keyCache[loff + t * kvDim + kvh + i]!;
          att[t] = score / Math.sqrt(hs);
        }
        softmax(att);
        for (let t = 0; t <= pos; t++) {
          for (let i = 0; i < hs; i++) xb2[hd * hs + i]! += att[t]! * this.valueCache[loff + t * kvDim + kvh + i]!;
        }
      }
      const o = matmul(xb2, w.wo[l]!, dim, dim);
      for (let i = 0; i < dim; i++) x[i]! += o[i]!;
      const xf = rmsnorm(x, w.rmsFfn[l]!);
      const hb = matmul(xf, w.w1[l]!, dim, h.hiddenDim);
      const hb2 = matmul(xf, w.w3[l]!, dim, h.hiddenDim);
      for (let i = 0; i < h.hiddenDim; i++) hb[i] = (hb[i]! / (1 + Math.exp(-hb[i]!))) * hb2[i]!;
      const down = matmul(hb, w.w2[l]!, h.hiddenDim, dim);
      for (let i = 0; i < dim; i++) x[i]! += down[i]!;
    }
    return matmul(rmsnorm(x, w.rmsFinal), w.classifier, dim, h.vocabSize);
  }
}

function rmsnorm(x: Float64Array, weight: Float32Array): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const scale = 1 / Math.sqrt(ss / x.length + 1e-5);
  return x.map((v, i) => weight[i]! * (scale * v));
}

/** W (d,n) @ x (n,) → (d,), W row-major [out, in] as run.c stores it. */
function matmul(x: Float64Array, w: Float32Array, n: number, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let val = 0;
    for (let j = 0; j < n; j++) val += w[i * n + j]! * x[j]!;
    out[i] = val;
  }
  return out;
}

function softmax(x: Float64Array): void {
  let max = -Infinity;
  for (const v of x) max = Math.max(max, v);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] = Math.exp(x[i]! - max);
    sum += x[i]!;
  }
  for (let i = 0; i < x.length; i++) x[i]! /= sum;
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** run.c's Tokenizer: encode() byte for byte, decode of one piece. */
export class RunCTokenizer {
  private readonly lookup = new Map<string, number>();
  readonly vocab: Llama2cVocab;

  constructor(tokenizerBin: Uint8Array, vocabSize: number) {
    this.vocab = readLlama2cTokenizer(tokenizerBin, vocabSize, 'tokenizer.bin');
    const enc = new TextEncoder();
    // First id wins on duplicates, as bsearch over a sorted copy would find one of them.
    this.vocab.pieces.forEach((p, id) => {
      const key = latin1(enc.encode(p));
      if (!this.lookup.has(key)) this.lookup.set(key, id);
    });
  }

  private byteString(id: number): string {
    return latin1(new TextEncoder().encode(this.vocab.pieces[id]!));
  }

  /** run.c encode(text, bos, eos=0). */
  encode(text: string, bos = true): number[] {
    const bytes = new TextEncoder().encode(text);
    const tokens: number[] = [];
    if (bos) tokens.push(1);
    if (bytes.length > 0) tokens.push(this.lookup.get(' ') ?? -1);
    let buf: number[] = [];
    for (let c = 0; c < bytes.length; c++) {
      if ((bytes[c]! & 0xc0) !== 0x80) buf = [];
      buf.push(bytes[c]!);
      if (c + 1 < bytes.length && (bytes[c + 1]! & 0xc0) === 0x80 && buf.length < 4) continue;
      const id = this.lookup.get(String.fromCharCode(...buf));
      if (id !== undefined) tokens.push(id);
      else for (const b of buf) tokens.push(b + 3);
      buf = [];
    }
    for (;;) {
      let bestScore = -1e10;
      let bestId = -1;
      let bestIdx = -1;
      for (let i = 0; i < tokens.length - 1; i++) {
        const id = this.lookup.get(this.byteString(tokens[i]!) + this.byteString(tokens[i + 1]!));
        if (id !== undefined && this.vocab.scores[id]! > bestScore) {
          bestScore = this.vocab.scores[id]!;
          bestId = id;
          bestIdx = i;
        }
      }
      if (bestIdx === -1) break;
      tokens.splice(bestIdx, 2, bestId);
    }
    return tokens;
  }

  /** run.c decode(prev, token): the printed piece (leading space dropped after BOS, <0xXX> as a byte). */
  decode(prev: number, token: number): Uint8Array {
    let piece = this.vocab.pieces[token]!;
    if (prev === 1 && piece.startsWith(' ')) piece = piece.slice(1);
    const byte = /^<0x([0-9A-F]{2})>$/.exec(piece);
    if (byte) return Uint8Array.of(parseInt(byte[1]!, 16));
    return new TextEncoder().encode(piece);
  }
}

/** One greedy step's facts: the id, its probability and the entropy of the row (natural log). */
export interface RunCStep {
  id: number;
  prob: number;
  entropy: number;
}

/**
 * run.c `generate` with temperature 0 after `promptIds` (BOS included): up to `maxNew` tokens,
 * stopping after BOS (id 1) as run.c does (run.c drops that BOS; here it is the last step, as the
 * app emits its stop token). Ties go to the lower id, as run.c's argmax does.
 */
export function runCGreedy(model: RunC, promptIds: number[], maxNew: number): RunCStep[] {
  let logits: Float64Array = new Float64Array(0);
  promptIds.forEach((id, pos) => (logits = model.forward(id, pos)));
  const steps: RunCStep[] = [];
  for (let pos = promptIds.length; steps.length < maxNew; pos++) {
    const step = pick(logits);
    steps.push(step);
    if (step.id === 1 || step.id === 2 || pos >= model.w.header.seqLen) break;
    logits = model.forward(step.id, pos);
  }
  return steps;
}

function pick(logits: Float64Array): RunCStep {
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) [max, best] = [logits[i]!, i];
  let z = 0;
  for (const v of logits) z += Math.exp(v - max);
  let entropy = 0;
  for (const v of logits) {
    const p = Math.exp(v - max) / z;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return { id: best, prob: 1 / z, entropy };
}
