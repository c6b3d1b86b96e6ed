// Node-side helpers to run a built-in model through onnxruntime-node (CPU) exactly as a
// transformers.js decoder export is run: explicit attention_mask, position_ids and KV cache.
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { loadSpec, type ModelSpec } from './specs';

/** A KV cache: per layer, key and value tensors [batch, kvHeads, length, headDim]. */
export type KvCache = { key: ort.Tensor; value: ort.Tensor }[];

/** One decoder call's outputs. */
export interface DecoderOutputs {
  /** [batch, seq, vocabSize]. */
  logits: ort.Tensor;
  /** [batch, seq, hiddenSize]. */
  lastHidden: ort.Tensor;
  /** present.* as the next call's past. */
  cache: KvCache;
}

/** Opens `<dir>/<name>/onnx/model.onnx` on the CPU EP. */
export async function openBuiltin(dir: string, name: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(join(dir, name, 'onnx', 'model.onnx'), { executionProviders: ['cpu'] });
}

/** An empty cache (past length 0) for `batch` rows. */
export function emptyCache(spec: ModelSpec, batch: number): KvCache {
  const dims = [batch, spec.numKvHeads, 0, spec.headDim];
  return spec.layerSources.map(() => ({
    key: new ort.Tensor('float32', new Float32Array(0), dims),
    value: new ort.Tensor('float32', new Float32Array(0), dims),
  }));
}

const i64 = (rows: number[][]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, rows[0]?.length ?? 0]);

/**
 * Runs one decoder step: ids and positions [batch][seq], mask [batch][past + seq] (1 = attend).
 * `past` defaults to an empty cache.
 */
export async function runDecoder(
  session: ort.InferenceSession,
  name: string,
  io: { ids: number[][]; positions: number[][]; mask: number[][]; past?: KvCache },
): Promise<DecoderOutputs> {
  const spec = loadSpec(name);
  const past = io.past ?? emptyCache(spec, io.ids.length);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: i64(io.ids),
    attention_mask: i64(io.mask),
    position_ids: i64(io.positions),
  };
  past.forEach((kv, i) => {
    feeds[`past_key_values.${i}.key`] = kv.key;
    feeds[`past_key_values.${i}.value`] = kv.value;
  });
  const out = await session.run(feeds);
  const get = (k: string): ort.Tensor => {
    const t = out[k];
    if (!t) throw new Error(`output ${k} missing from ${name}`);
    return t;
  };
  const cache = spec.layerSources.map((_, i) => ({ key: get(`present.${i}.key`), value: get(`present.${i}.value`) }));
  return { logits: get('logits'), lastHidden: get('last_hidden_state'), cache };
}

/** Row [b, s, :] of a float32 [batch, seq, width] tensor. */
export function row3(t: ort.Tensor, b: number, s: number): Float32Array {
  const [, seq = 0, width = 0] = t.dims;
  const data = t.data as Float32Array;
  const start = (b * seq + s) * width;
  return data.slice(start, start + width);
}

/** max |a_i − b_i| over two equal-length rows; Infinity on a length mismatch or any NaN. */
export function maxAbsDiff(a: Float32Array, b: Float32Array | undefined): number {
  if (!b || a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? NaN) - (b[i] ?? NaN));
    if (Number.isNaN(d)) return Infinity;
    m = Math.max(m, d);
  }
  return m;
}
