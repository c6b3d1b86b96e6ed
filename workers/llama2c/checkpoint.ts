// Reads a llama2.c "legacy v0" checkpoint (Karpathy's export.py `legacy_export`, what run.c loads):
// 7 int32 header fields, then fp32 arrays token_embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1,
// w2, w3, rms_final, freq_cis_real, freq_cis_imag and, when vocab_size is negative, a separate
// classifier. Every matrix is [out, in] row-major. See docs/models.md (llama2.c import).
import { LogitscopeError } from '../errors';
import type { Llama2cHeader } from '../../protocol';

/** The header of a llama2.c checkpoint (the protocol's type: the UI shows it after an import). */
export type { Llama2cHeader };

/** Weights as run.c lays them out, each a view into the file (no copies). */
export interface Llama2cWeights {
  header: Llama2cHeader;
  /** [vocab, dim]. */
  tokenEmbedding: Float32Array;
  /** Per layer: [dim]. */
  rmsAtt: Float32Array[];
  /** Per layer: [nHeads·headSize, dim]. */
  wq: Float32Array[];
  /** Per layer: [nKvHeads·headSize, dim]. */
  wk: Float32Array[];
  wv: Float32Array[];
  /** Per layer: [dim, nHeads·headSize]. */
  wo: Float32Array[];
  rmsFfn: Float32Array[];
  /** Per layer: [hiddenDim, dim] (gate). */
  w1: Float32Array[];
  /** Per layer: [dim, hiddenDim] (down). */
  w2: Float32Array[];
  /** Per layer: [hiddenDim, dim] (up). */
  w3: Float32Array[];
  rmsFinal: Float32Array;
  /** cos(pos·freq_i), [seqLen, headSize/2]. */
  freqCisReal: Float32Array;
  /** sin(pos·freq_i), [seqLen, headSize/2]. */
  freqCisImag: Float32Array;
  /** [vocab, dim]: the embedding itself when shared. */
  classifier: Float32Array;
}

const HEADER_BYTES = 28;
// Generous bounds: they only stop absurd headers (a wrong file) from asking for absurd memory.
const LIMITS = { dim: 16_384, hiddenDim: 65_536, nLayers: 256, nHeads: 256, vocabSize: 1 << 20, seqLen: 1 << 20 };
/** The magic of llama2.c's newer export formats (version 1/2), "ak42" little-endian. */
const MAGIC_V1 = 0x616b3432;

function invalid(where: string, message: string): never {
  throw new LogitscopeError('model-invalid', `${where}: ${message}`);
}

/** Parses and checks the header; `where` names the file in errors. */
export function readLlama2cHeader(bytes: Uint8Array, where: string): Llama2cHeader {
  if (bytes.byteLength < HEADER_BYTES) invalid(where, `a llama2.c checkpoint starts with a 28-byte header, got ${bytes.byteLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const f = (i: number): number => view.getInt32(i * 4, true);
  if (view.getUint32(0, true) === MAGIC_V1) {
    invalid(where, 'this is a llama2.c version 1/2 export (magic "ak42"); only the legacy v0 format that run.c reads is supported (export.py --version 0)');
  }
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, vocab, seqLen] = [f(0), f(1), f(2), f(3), f(4), f(5), f(6)] as [number, number, number, number, number, number, number];
  const header: Llama2cHeader = { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize: Math.abs(vocab), seqLen, sharedClassifier: vocab > 0 };
  const fields: [keyof typeof LIMITS | 'nKvHeads', number, number][] = [
    ['dim', dim, LIMITS.dim],
    ['hiddenDim', hiddenDim, LIMITS.hiddenDim],
    ['nLayers', nLayers, LIMITS.nLayers],
    ['nHeads', nHeads, LIMITS.nHeads],
    ['nKvHeads', nKvHeads, LIMITS.nHeads],
    ['vocabSize', Math.abs(vocab), LIMITS.vocabSize],
    ['seqLen', seqLen, LIMITS.seqLen],
  ];
  for (const [name, v, max] of fields) {
    if (!(v >= 1 && v <= max)) invalid(where, `header field ${name} must be in [1, ${max}], got ${v}; is this a llama2.c checkpoint?`);
  }
  if (dim % nHeads !== 0) invalid(where, `dim ${dim} is not a multiple of n_heads ${nHeads}`);
  if (nHeads % nKvHeads !== 0) invalid(where, `n_heads ${nHeads} is not a multiple of n_kv_heads ${nKvHeads}`);
  if ((dim / nHeads) % 2 !== 0) invalid(where, `head size ${dim / nHeads} must be even for RoPE`);
  return header;
}

/** Float count of every array after the header, in file order. */
function layout(h: Llama2cHeader): [string, number][] {
  const hs = h.dim / h.nHeads;
  const kvDim = h.nKvHeads * hs;
  const L = h.nLayers;
  const parts: [string, number][] = [
    ['token_embedding', h.vocabSize * h.dim],
    ['rms_att', L * h.dim],
    ['wq', L * h.dim * h.dim],
    ['wk', L * h.dim * kvDim],
    ['wv', L * h.dim * kvDim],
    ['wo', L * h.dim * h.dim],
    ['rms_ffn', L * h.dim],
    ['w1', L * h.hiddenDim * h.dim],
    ['w2', L * h.dim * h.hiddenDim],
    ['w3', L * h.hiddenDim * h.dim],
    ['rms_final', h.dim],
    ['freq_cis_real', (h.seqLen * hs) / 2],
    ['freq_cis_imag', (h.seqLen * hs) / 2],
  ];
  if (!h.sharedClassifier) parts.push(['wcls', h.vocabSize * h.dim]);
  return parts;
}

/** Expected file size in bytes for `h`. */
export function llama2cFileSize(h: Llama2cHeader): number {
  return HEADER_BYTES + 4 * layout(h).reduce((a, [, n]) => a + n, 0);
}

/** Parses a whole checkpoint; the file size must match what the header describes exactly. */
export function readLlama2cCheckpoint(bytes: Uint8Array, where: string): Llama2cWeights {
  const h = readLlama2cHeader(bytes, where);
  const expected = llama2cFileSize(h);
  if (bytes.byteLength !== expected) {
    invalid(
      where,
      `the header (dim ${h.dim}, ${h.nLayers} layers, vocab ${h.vocabSize}, seq_len ${h.seqLen}, ${h.sharedClassifier ? 'shared' : 'separate'} classifier) describes ${expected} bytes, the file has ${bytes.byteLength}`,
    );
  }
  // Float32Array views need 4-byte alignment; copy once if the caller's buffer is not aligned.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const floats = new Float32Array(aligned.buffer, aligned.byteOffset + HEADER_BYTES, (bytes.byteLength - HEADER_BYTES) / 4);
  const arrays = new Map<string, Float32Array>();
  let at = 0;
  for (const [name, n] of layout(h)) {
    arrays.set(name, floats.subarray(at, at + n));
    at += n;
  }
  const whole = (name: string): Float32Array => arrays.get(name)!;
  const perLayer = (name: string): Float32Array[] => {
    const a = whole(name);
    const n = a.length / h.nLayers;
    return Array.from({ length: h.nLayers }, (_, l) => a.subarray(l * n, (l + 1) * n));
  };
  const tokenEmbedding = whole('token_embedding');
  return {
    header: h,
    tokenEmbedding,
    rmsAtt: perLayer('rms_att'),
    wq: perLayer('wq'),
    wk: perLayer('wk'),
    wv: perLayer('wv'),
    wo: perLayer('wo'),
    rmsFfn: perLayer('rms_ffn'),
    w1: perLayer('w1'),
    w2: perLayer('w2'),
    w3: perLayer('w3'),
    rmsFinal: whole('rms_final'),
    freqCisReal: whole('freq_cis_real'),
    freqCisImag: whole('freq_cis_imag'),
    classifier: h.sharedClassifier ? tokenEmbedding : whole('wcls'),
  };
}
