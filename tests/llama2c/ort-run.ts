// Runs a converted llama2.c ONNX graph through onnxruntime-node (CPU) as the app feeds it.
import * as ort from 'onnxruntime-node';
import type { Llama2cHeader } from '../../workers/llama2c/checkpoint';

/** Per layer key/value tensors [1, kvHeads, length, headDim]. */
export type Past = Record<string, ort.Tensor>;

const i64 = (v: number[], dims: number[]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(v, BigInt), dims);

/** Opens ONNX bytes on the CPU EP. */
export function open(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
}

/** Feeds `ids` at positions past..past+n−1; returns logits rows, the new cache and every output. */
export async function step(s: ort.InferenceSession, h: Llama2cHeader, ids: number[], past: Past | null): Promise<{ rows: Float32Array[]; past: Past; out: ort.InferenceSession.ReturnType }> {
  const hs = h.dim / h.nHeads;
  const pastLen = past ? (past['past_key_values.0.key']!.dims[2] as number) : 0;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: i64(ids, [1, ids.length]),
    attention_mask: i64(new Array(pastLen + ids.length).fill(1), [1, pastLen + ids.length]),
    position_ids: i64(ids.map((_, i) => pastLen + i), [1, ids.length]),
  };
  for (let l = 0; l < h.nLayers; l++) {
    for (const kv of ['key', 'value']) {
      feeds[`past_key_values.${l}.${kv}`] = past?.[`past_key_values.${l}.${kv}`] ?? new ort.Tensor('float32', new Float32Array(0), [1, h.nKvHeads, 0, hs]);
    }
  }
  const out = await s.run(feeds);
  const logits = out.logits!.data as Float32Array;
  const rows = ids.map((_, i) => logits.slice(i * h.vocabSize, (i + 1) * h.vocabSize));
  const next: Past = {};
  for (let l = 0; l < h.nLayers; l++) for (const kv of ['key', 'value']) next[`past_key_values.${l}.${kv}`] = out[`present.${l}.${kv}`]!;
  return { rows, past: next, out };
}

/** max |a − b| over two rows. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(m) ? Infinity : m;
}
