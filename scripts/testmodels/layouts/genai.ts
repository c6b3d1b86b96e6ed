// tiny-llama written the way onnxruntime-genai's model builder writes Llama models: contrib ops
// (SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization, MatMulNBits with 4-bit block
// weights, GroupQueryAttention with seqlens_k / total_sequence_length computed from the mask,
// RotaryEmbedding or GQA's own rotary), optionally with float16 activations, KV cache and logits,
// with or without a position_ids input. No last_hidden_state output, as genai exports have none.
import { DType, GraphBuilder, type DTypeCode } from '../../../workers/onnx/graph-builder';
import type { ModelSpec } from '../specs';
import type { LayerWeights, ModelWeights } from '../weights';
import { BLOCK, quantizeInt4, roundF16, toF16 } from './quant';

/** Which genai export to imitate. */
export interface GenaiOptions {
  /** A position_ids input feeding RotaryEmbedding nodes; without it GQA rotates (do_rotary = 1). */
  positionIds: boolean;
  /** Activations, norms, KV cache and logits in float32 (genai's CPU int4) or float16 (its GPU int4). */
  precision: 'fp32' | 'fp16';
}

const MS = 'com.microsoft';

interface Ctx {
  b: GraphBuilder;
  spec: ModelSpec;
  o: GenaiOptions;
  t: DTypeCode;
  /** Float initializer in the graph's precision; returns its name and the values a reference uses. */
  float: (name: string, dims: number[], data: Float32Array) => { name: string; values: Float32Array };
}

function declareIO(c: Ctx): void {
  const { b, spec, o, t } = c;
  b.input('input_ids', DType.INT64, ['batch_size', 'sequence_length']);
  b.input('attention_mask', DType.INT64, ['batch_size', 'total_sequence_length']);
  if (o.positionIds) b.input('position_ids', DType.INT64, ['batch_size', 'sequence_length']);
  const L = spec.layerSources.length;
  for (let i = 0; i < L; i++) {
    for (const kv of ['key', 'value']) b.input(`past_key_values.${i}.${kv}`, t, ['batch_size', spec.numKvHeads, 'past_sequence_length', spec.headDim]);
  }
  b.output('logits', t, ['batch_size', 'sequence_length', spec.vocabSize]);
  for (let i = 0; i < L; i++) {
    for (const kv of ['key', 'value']) b.output(`present.${i}.${kv}`, t, ['batch_size', spec.numKvHeads, 'total_sequence_length', spec.headDim]);
  }
}

/** MatMulNBits of `x` by `w` [k, n]; returns the output and the dequantized weights. */
function linear(c: Ctx, x: string, name: string, w: Float32Array, k: number, n: number): { out: string; deq: Float32Array } {
  const q = quantizeInt4(w, k, n, c.t === DType.FLOAT16 ? roundF16 : Math.fround);
  const bName = c.b.rawInit(`${name}.qweight`, [n, k / BLOCK, BLOCK / 2], DType.UINT8, q.packed);
  const sName = c.float(`${name}.scales`, [n * (k / BLOCK)], q.scales).name;
  const out = c.b.node('MatMulNBits', [x, bName, sName], { K: k, N: n, bits: 4, block_size: BLOCK, accuracy_level: 0 }, undefined, MS);
  return { out, deq: q.dequantized };
}

/** seqlens_k (int32 [batch], total − 1) and total_sequence_length (int32 scalar) from the mask, as genai computes them. */
function gqaLengths(b: GraphBuilder): { seqlens: string; total: string } {
  const sum = b.node('ReduceSum', ['attention_mask', b.i64([1])], { keepdims: 0 });
  const seqlens = b.node('Cast', [b.node('Sub', [sum, b.i64([1], [])])], { to: DType.INT32 });
  const total = b.node('Cast', [b.node('Gather', [b.node('Shape', ['attention_mask']), b.i64([1], [])], { axis: 0 })], { to: DType.INT32 });
  return { seqlens, total };
}

function layer(c: Ctx, i: number, lw: LayerWeights, normed: string, lengths: { seqlens: string; total: string }, rope: { cos: string; sin: string }): { attnOut: string; ref: Partial<LayerWeights> } {
  const { b, spec, o } = c;
  const h = spec.hiddenSize;
  const qw = spec.numHeads * spec.headDim;
  const kvw = spec.numKvHeads * spec.headDim;
  const p = `model.layers.${i}.attn`;
  const q = linear(c, normed, `${p}.q_proj`, lw.wq, h, qw);
  const k = linear(c, normed, `${p}.k_proj`, lw.wk, h, kvw);
  const v = linear(c, normed, `${p}.v_proj`, lw.wv, h, kvw);
  let qIn = q.out;
  let kIn = k.out;
  const gqaAttrs: Record<string, number> = { num_heads: spec.numHeads, kv_num_heads: spec.numKvHeads, local_window_size: -1, do_rotary: o.positionIds ? 0 : 1, rotary_interleaved: 0 };
  const gqaInputs = [qIn, kIn, v.out, `past_key_values.${i}.key`, `past_key_values.${i}.value`, lengths.seqlens, lengths.total];
  if (o.positionIds) {
    qIn = b.node('RotaryEmbedding', [q.out, 'position_ids', rope.cos, rope.sin], { interleaved: 0, num_heads: spec.numHeads }, undefined, MS);
    kIn = b.node('RotaryEmbedding', [k.out, 'position_ids', rope.cos, rope.sin], { interleaved: 0, num_heads: spec.numKvHeads }, undefined, MS);
    gqaInputs[0] = qIn;
    gqaInputs[1] = kIn;
  } else {
    gqaInputs.push(rope.cos, rope.sin);
  }
  const [attn] = b.nodeOuts('GroupQueryAttention', gqaInputs, [null, `present.${i}.key`, `present.${i}.value`], gqaAttrs, MS);
  const out = linear(c, attn!, `${p}.o_proj`, lw.wo, qw, h);
  return { attnOut: out.out, ref: { wq: q.deq, wk: k.deq, wv: v.deq, wo: out.deq } };
}

function mlp(c: Ctx, i: number, lw: LayerWeights, normed: string): { out: string; ref: Partial<LayerWeights> } {
  const { b, spec } = c;
  const h = spec.hiddenSize;
  const im = spec.intermediateSize;
  const p = `model.layers.${i}.mlp`;
  const gate = linear(c, normed, `${p}.gate_proj`, lw.wGate, h, im);
  const up = linear(c, normed, `${p}.up_proj`, lw.wUp, h, im);
  const act = b.node('Mul', [b.node('Mul', [gate.out, b.node('Sigmoid', [gate.out])]), up.out]);
  const down = linear(c, act, `${p}.down_proj`, lw.wDown, im, h);
  return { out: down.out, ref: { wGate: gate.deq, wUp: up.deq, wDown: down.deq } };
}

/** The genai-style graph of `spec` with weights `w`, and the weights a reference forward must use. */
export function buildGenaiOnnx(spec: ModelSpec, w: ModelWeights, o: GenaiOptions): { onnx: Uint8Array; reference: ModelWeights } {
  const b = new GraphBuilder();
  const t = o.precision === 'fp16' ? DType.FLOAT16 : DType.FLOAT;
  const float = (name: string, dims: number[], data: Float32Array): { name: string; values: Float32Array } => {
    if (t === DType.FLOAT) return { name: b.floatInit(name, dims, data), values: data };
    const f = toF16(data);
    return { name: b.rawInit(name, dims, DType.FLOAT16, f.bytes), values: f.values };
  };
  const c: Ctx = { b, spec, o, t, float };
  declareIO(c);
  const h = spec.hiddenSize;
  const eps = { f: spec.rmsNormEps };
  const half = spec.headDim / 2;
  const cos = float('cos_cache', [spec.maxPositions, half], w.ropeCos);
  const sin = float('sin_cache', [spec.maxPositions, half], w.ropeSin);
  const lengths = gqaLengths(b);
  const embed = float('model.embed_tokens.weight', [spec.vocabSize, h], w.embed);
  const x0 = b.node('Gather', [embed.name, 'input_ids'], { axis: 0 });
  const refLayers: LayerWeights[] = [];
  const norm = (name: string, data: Float32Array): { name: string; values: Float32Array } => float(name, [h], data);
  let n0 = norm('model.layers.0.input_layernorm.weight', w.layers[0]!.inputNorm);
  let normed = b.node('SimplifiedLayerNormalization', [x0, n0.name], { axis: -1, epsilon: eps, stash_type: 1 });
  let residual = x0;
  let pendingOut = '';
  w.layers.forEach((lw, i) => {
    const inNorm = n0.values;
    const attn = layer(c, i, lw, normed, lengths, { cos: cos.name, sin: sin.name });
    const post = norm(`model.layers.${i}.post_attention_layernorm.weight`, lw.postNorm);
    const [postNormed, , , sum] = b.nodeOuts('SkipSimplifiedLayerNormalization', [attn.attnOut, residual, post.name], [null, '', '', null], { epsilon: eps }, MS);
    const m = mlp(c, i, lw, postNormed!);
    refLayers.push({ ...lw, ...attn.ref, ...m.ref, inputNorm: inNorm, postNorm: post.values } as LayerWeights);
    residual = sum!;
    pendingOut = m.out;
    const next = w.layers[i + 1];
    if (next) {
      n0 = norm(`model.layers.${i + 1}.input_layernorm.weight`, next.inputNorm);
      const outs = b.nodeOuts('SkipSimplifiedLayerNormalization', [pendingOut, residual, n0.name], [null, '', '', null], { epsilon: eps }, MS);
      normed = outs[0]!;
      residual = outs[3]!;
    }
  });
  const fin = norm('model.norm.weight', w.finalNorm);
  const [finalNormed] = b.nodeOuts('SkipSimplifiedLayerNormalization', [pendingOut, residual, fin.name], [null, '', '', ''], { epsilon: eps }, MS);
  const lm = linear(c, finalNormed!, 'lm_head', w.lmHead, h, spec.vocabSize);
  b.node('Identity', [lm.out], {}, 'logits');
  const onnx = b.encode(`${spec.name}-genai`, 'logitscope-gen-models (genai layout)', [{ domain: MS, version: 1 }]);
  return { onnx, reference: { ...w, embed: embed.values, layers: refLayers, finalNorm: fin.values, lmHead: lm.deq, lmBias: null, ropeCos: cos.values, ropeSin: sin.values } };
}
