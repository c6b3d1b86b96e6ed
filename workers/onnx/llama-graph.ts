// The Llama decoder graph with the transformers.js decoder-export interface: input_ids,
// attention_mask, position_ids, past_key_values.{i}.key/value in; logits, present.{i}.key/value
// and last_hidden_state out (optionally hidden_states.{l} too, the residual stream after each
// layer, and layer_logits, the logit lens of every layer at the last position: DoLa, the lens
// view). Uses only ops that onnxruntime-web runs on WebGPU and WASM.
import { DType, GraphBuilder } from './graph-builder';

// Additive mask for disallowed keys. Finite, so a fully masked query row softmaxes to a (near)
// uniform row instead of NaN.
const MASK_NEG = -1e9;

/** Config numbers of a Llama-layout decoder. */
export interface LlamaShape {
  /** Graph name. */
  name: string;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  /** numHeads must be a multiple. */
  numKvHeads: number;
  /** Even, for rotate-half RoPE. */
  headDim: number;
  rmsNormEps: number;
  /** Rows of the RoPE tables = largest position id + 1. */
  maxPositions: number;
  /** lm_head rows (logit width). */
  vocabSize: number;
  /**
   * Also output `hidden_states.{l}` for l = 0 (embeddings) … numLayers (before the final norm), and
   * `layer_logits` [batch, numLayers + 1, vocab]: row l = lm_head(finalNorm(hidden_states.l)) at the
   * LAST position only (the logit lens; row numLayers is that position's logits).
   */
  layerOutputs?: boolean;
  /** Output `last_hidden_state` (default true; Optimum exports have none). */
  hiddenOutput?: boolean;
  /**
   * Name of an int64 scalar input (`num_logits_to_keep` / `logits_to_keep`, as Optimum exports
   * have): logits only for the last n positions, all of them for n = 0.
   */
  logitsToKeepInput?: string;
  /** Take `inputs_embeds` [batch, seq, hidden] instead of input_ids (split-embedding exports). */
  inputsEmbeds?: boolean;
  /**
   * Take a superposition of tokens instead of input_ids (superposed decoding's variant graph,
   * onnx/model_superposed.onnx): `mix_ids` int64 [batch, seq, m] and `mix_weights` float
   * [batch, seq, m]; the embedding of a position is Σ_j mix_weights[j]·E[mix_ids[j]].
   */
  superposedInput?: boolean;
}

/** Weights of one decoder layer; matrices are row-major [in, out] (the MatMul right operand). */
export interface LlamaLayerWeights {
  /** input_layernorm weight [hidden]. */
  inputNorm: Float32Array;
  /** q_proj [hidden, heads·headDim], rotate-half order within each head. */
  wq: Float32Array;
  /** k_proj [hidden, kvHeads·headDim], rotate-half order within each head. */
  wk: Float32Array;
  /** v_proj [hidden, kvHeads·headDim]. */
  wv: Float32Array;
  /** o_proj [heads·headDim, hidden]. */
  wo: Float32Array;
  /** post_attention_layernorm weight [hidden]. */
  postNorm: Float32Array;
  /** gate_proj [hidden, intermediate]. */
  wGate: Float32Array;
  /** up_proj [hidden, intermediate]. */
  wUp: Float32Array;
  /** down_proj [intermediate, hidden]. */
  wDown: Float32Array;
}

/** All weights of a Llama-layout decoder, float32. */
export interface LlamaWeights {
  /** embed_tokens [vocab, hidden], row = token id. */
  embed: Float32Array;
  /** Decoder layers in execution order. */
  layers: LlamaLayerWeights[];
  /** Final norm weight [hidden]. */
  finalNorm: Float32Array;
  /** lm_head transposed, [hidden, vocab] (column = token id); 'tied' reuses `embed` transposed. */
  lmHead: Float32Array | 'tied';
  /** Logit bias [vocab], or null when the model has none. */
  lmBias: Float32Array | null;
  /** cos(position·invFreq_i), [maxPositions, headDim/2]; rotate-half uses it for both halves. */
  ropeCos: Float32Array;
  /** sin(position·invFreq_i), [maxPositions, headDim/2]. */
  ropeSin: Float32Array;
}

interface Ctx {
  b: GraphBuilder;
  spec: LlamaShape;
  /** Additive attention bias [batch, 1, seq, total]. */
  bias: string;
  /** RoPE cos / sin broadcast to [batch, 1, seq, headDim]. */
  cos: string;
  sin: string;
}

function declareIO(b: GraphBuilder, spec: LlamaShape): void {
  if (spec.inputsEmbeds) b.input('inputs_embeds', DType.FLOAT, ['batch_size', 'sequence_length', spec.hiddenSize]);
  else if (spec.superposedInput) {
    b.input('mix_ids', DType.INT64, ['batch_size', 'sequence_length', 'mix_size']);
    b.input('mix_weights', DType.FLOAT, ['batch_size', 'sequence_length', 'mix_size']);
  } else b.input('input_ids', DType.INT64, ['batch_size', 'sequence_length']);
  b.input('attention_mask', DType.INT64, ['batch_size', 'total_sequence_length']);
  b.input('position_ids', DType.INT64, ['batch_size', 'sequence_length']);
  const kv = ['batch_size', spec.numKvHeads, 'past_sequence_length', spec.headDim];
  const present = ['batch_size', spec.numKvHeads, 'total_sequence_length', spec.headDim];
  for (let i = 0; i < spec.numLayers; i++) {
    b.input(`past_key_values.${i}.key`, DType.FLOAT, kv);
    b.input(`past_key_values.${i}.value`, DType.FLOAT, kv);
  }
  b.output('logits', DType.FLOAT, ['batch_size', 'sequence_length', spec.vocabSize]);
  for (let i = 0; i < spec.numLayers; i++) {
    b.output(`present.${i}.key`, DType.FLOAT, present);
    b.output(`present.${i}.value`, DType.FLOAT, present);
  }
  if (spec.logitsToKeepInput) b.input(spec.logitsToKeepInput, DType.INT64, []);
  if (spec.hiddenOutput !== false) b.output('last_hidden_state', DType.FLOAT, ['batch_size', 'sequence_length', spec.hiddenSize]);
  if (spec.layerOutputs) {
    for (let l = 0; l <= spec.numLayers; l++) b.output(`hidden_states.${l}`, DType.FLOAT, ['batch_size', 'sequence_length', spec.hiddenSize]);
    b.output('layer_logits', DType.FLOAT, ['batch_size', spec.numLayers + 1, spec.vocabSize]);
  }
}

/** Query i (absolute position past + i) may see key j iff j <= past + i and attention_mask[b, j] == 1. */
function maskBias(b: GraphBuilder, tokens: string): string {
  const seq = b.node('Gather', [b.node('Shape', [tokens]), b.i64([1], [])], { axis: 0 });
  const total = b.node('Gather', [b.node('Shape', ['attention_mask']), b.i64([1], [])], { axis: 0 });
  const past = b.node('Sub', [total, seq]);
  const qpos = b.node('Range', [past, total, b.i64([1], [])]);
  const kpos = b.node('Range', [b.i64([0], []), total, b.i64([1], [])]);
  const causal = b.node('LessOrEqual', [b.node('Unsqueeze', [kpos, b.i64([0])]), b.node('Unsqueeze', [qpos, b.i64([1])])]);
  const causalF = b.node('Cast', [causal], { to: DType.FLOAT });
  const keep = b.node('Cast', [b.node('Equal', ['attention_mask', b.i64([1], [])])], { to: DType.FLOAT });
  const allowed = b.node('Mul', [causalF, b.node('Unsqueeze', [keep, b.i64([1, 2])])]);
  return b.node('Mul', [b.node('Sub', [allowed, b.f32(1)]), b.f32(-MASK_NEG)]);
}

function ropeTable(b: GraphBuilder, table: string): string {
  const half = b.node('Gather', [table, 'position_ids'], { axis: 0 });
  return b.node('Unsqueeze', [b.node('Concat', [half, half], { axis: -1 }), b.i64([1])]);
}

function rmsNorm(b: GraphBuilder, x: string, weight: string, eps: number, out?: string): string {
  const ms = b.node('ReduceMean', [b.node('Mul', [x, x])], { axes: [-1], keepdims: 1 });
  const normed = b.node('Div', [x, b.node('Sqrt', [b.node('Add', [ms, b.f32(eps)])])]);
  return b.node('Mul', [normed, weight], {}, out);
}

/** HF rotate-half RoPE on x [batch, heads, seq, headDim]. */
function rotary(c: Ctx, x: string): string {
  const { b } = c;
  const d = c.spec.headDim;
  const axis = b.i64([3]);
  const x1 = b.node('Slice', [x, b.i64([0]), b.i64([d / 2]), axis]);
  const x2 = b.node('Slice', [x, b.i64([d / 2]), b.i64([d]), axis]);
  const rot = b.node('Concat', [b.node('Neg', [x2]), x1], { axis: 3 });
  return b.node('Add', [b.node('Mul', [x, c.cos]), b.node('Mul', [rot, c.sin])]);
}

/** [batch, seq, heads·headDim] → [batch, heads, seq, headDim]. */
function splitHeads(c: Ctx, x: string, heads: number): string {
  const r = c.b.node('Reshape', [x, c.b.i64([0, 0, heads, c.spec.headDim])]);
  return c.b.node('Transpose', [r], { perm: [0, 2, 1, 3] });
}

/** GQA: [batch, kvHeads, total, headDim] → [batch, heads, total, headDim], head h reads kv h / group. */
function repeatKv(c: Ctx, x: string): string {
  const group = c.spec.numHeads / c.spec.numKvHeads;
  if (group === 1) return x;
  const { b } = c;
  const expanded = b.node('Expand', [b.node('Unsqueeze', [x, b.i64([2])]), b.i64([1, 1, group, 1, 1])]);
  return b.node('Reshape', [expanded, b.i64([0, c.spec.numHeads, -1, c.spec.headDim])]);
}

function attention(c: Ctx, i: number, lw: LlamaLayerWeights, x: string): string {
  const { b, spec } = c;
  const h = spec.hiddenSize;
  const qw = spec.numHeads * spec.headDim;
  const kvw = spec.numKvHeads * spec.headDim;
  const p = `model.layers.${i}.self_attn`;
  const normed = rmsNorm(b, x, b.floatInit(`model.layers.${i}.input_layernorm.weight`, [h], lw.inputNorm), spec.rmsNormEps);
  const proj = (name: string, w: Float32Array, width: number): string =>
    b.node('MatMul', [normed, b.floatInit(`${p}.${name}.weight_t`, [h, width], w)]);
  const q = rotary(c, splitHeads(c, proj('q_proj', lw.wq, qw), spec.numHeads));
  const k = rotary(c, splitHeads(c, proj('k_proj', lw.wk, kvw), spec.numKvHeads));
  const v = splitHeads(c, proj('v_proj', lw.wv, kvw), spec.numKvHeads);
  const presentK = b.node('Concat', [`past_key_values.${i}.key`, k], { axis: 2 }, `present.${i}.key`);
  const presentV = b.node('Concat', [`past_key_values.${i}.value`, v], { axis: 2 }, `present.${i}.value`);
  const kT = b.node('Transpose', [repeatKv(c, presentK)], { perm: [0, 1, 3, 2] });
  const scores = b.node('Mul', [b.node('MatMul', [q, kT]), b.f32(1 / Math.sqrt(spec.headDim))]);
  const probs = b.node('Softmax', [b.node('Add', [scores, c.bias])], { axis: -1 });
  const ctx = b.node('Transpose', [b.node('MatMul', [probs, repeatKv(c, presentV)])], { perm: [0, 2, 1, 3] });
  const merged = b.node('Reshape', [ctx, b.i64([0, 0, qw])]);
  return b.node('MatMul', [merged, b.floatInit(`${p}.o_proj.weight_t`, [qw, h], lw.wo)]);
}

function mlp(c: Ctx, i: number, lw: LlamaLayerWeights, x: string): string {
  const { b, spec } = c;
  const h = spec.hiddenSize;
  const im = spec.intermediateSize;
  const p = `model.layers.${i}.mlp`;
  const normed = rmsNorm(b, x, b.floatInit(`model.layers.${i}.post_attention_layernorm.weight`, [h], lw.postNorm), spec.rmsNormEps);
  const gate = b.node('MatMul', [normed, b.floatInit(`${p}.gate_proj.weight_t`, [h, im], lw.wGate)]);
  const up = b.node('MatMul', [normed, b.floatInit(`${p}.up_proj.weight_t`, [h, im], lw.wUp)]);
  const act = b.node('Mul', [b.node('Mul', [gate, b.node('Sigmoid', [gate])]), up]);
  return b.node('MatMul', [act, b.floatInit(`${p}.down_proj.weight_t`, [im, h], lw.wDown)]);
}

function head(c: Ctx, w: LlamaWeights, embed: string, x: string): void {
  const { b, spec } = c;
  const h = spec.hiddenSize;
  const normW = b.floatInit('model.norm.weight', [h], w.finalNorm);
  let hidden = rmsNorm(b, x, normW, spec.rmsNormEps, spec.hiddenOutput === false ? undefined : 'last_hidden_state');
  if (spec.logitsToKeepInput) {
    // Slice from −n along the sequence; −0 is 0, so n = 0 keeps every position.
    const start = b.node('Unsqueeze', [b.node('Neg', [spec.logitsToKeepInput]), b.i64([0])]);
    hidden = b.node('Slice', [hidden, start, b.i64([Number.MAX_SAFE_INTEGER]), b.i64([1])]);
  }
  // A tied classifier is the embedding transposed; ORT folds the Transpose once at session creation,
  // so the file holds the matrix once.
  const lmHead = w.lmHead === 'tied' ? b.node('Transpose', [embed], { perm: [1, 0] }) : b.floatInit('lm_head.weight_t', [h, spec.vocabSize], w.lmHead);
  const bias = w.lmBias ? b.floatInit('lm_head.bias', [spec.vocabSize], w.lmBias) : null;
  const classify = (states: string, out: string): void => {
    if (!bias) b.node('MatMul', [states, lmHead], {}, out);
    else b.node('Add', [b.node('MatMul', [states, lmHead]), bias], {}, out);
  };
  classify(hidden, 'logits');
  if (!spec.layerOutputs) return;
  // The logit lens: each layer's residual stream at the last position, through the final norm and
  // the classifier, stacked [batch, numLayers + 1, hidden] → [batch, numLayers + 1, vocab].
  const last = (name: string) => b.node('Slice', [name, b.i64([-1]), b.i64([Number.MAX_SAFE_INTEGER]), b.i64([1])]);
  const layers = Array.from({ length: spec.numLayers + 1 }, (_, l) => last(`hidden_states.${l}`));
  classify(rmsNorm(b, b.node('Concat', layers, { axis: 1 }), normW, spec.rmsNormEps), 'layer_logits');
}

/** Σ_j mix_weights[b, s, j]·E[mix_ids[b, s, j]] → [batch, seq, hidden] (a one-hot mix is exactly E[id]). */
function superposedEmbedding(b: GraphBuilder, embed: string, out?: string): string {
  const rows = b.node('Gather', [embed, 'mix_ids'], { axis: 0 });
  const weighted = b.node('Mul', [rows, b.node('Unsqueeze', ['mix_weights', b.i64([3])])]);
  return b.node('ReduceSum', [weighted, b.i64([2])], { keepdims: 0 }, out);
}

function checkShape(s: LlamaShape, w: LlamaWeights): void {
  const ok = [s.hiddenSize, s.intermediateSize, s.numLayers, s.numHeads, s.numKvHeads, s.headDim, s.maxPositions, s.vocabSize].every((n) => Number.isSafeInteger(n) && n > 0);
  if (!ok || s.numHeads % s.numKvHeads !== 0 || s.headDim % 2 !== 0) throw new Error(`${s.name}: inconsistent Llama shape ${JSON.stringify(s)}`);
  if (w.layers.length !== s.numLayers) throw new Error(`${s.name}: ${w.layers.length} layers of weights for numLayers ${s.numLayers}`);
}

/** Serialised ONNX bytes of the fp32 decoder of shape `spec` with weights `w`. */
export function buildLlamaOnnx(spec: LlamaShape, w: LlamaWeights, producerName?: string): Uint8Array<ArrayBuffer> {
  return buildLlamaGraph(spec, w).encode(spec.name, producerName);
}

/** The fp32 decoder of shape `spec` with weights `w`, still open for rewriting (see GraphBuilder.toModelDef). */
export function buildLlamaGraph(spec: LlamaShape, w: LlamaWeights): GraphBuilder {
  checkShape(spec, w);
  const b = new GraphBuilder();
  declareIO(b, spec);
  const half = spec.headDim / 2;
  const cosTable = b.floatInit('rope.cos_half', [spec.maxPositions, half], w.ropeCos);
  const sinTable = b.floatInit('rope.sin_half', [spec.maxPositions, half], w.ropeSin);
  const tokens = spec.inputsEmbeds ? 'inputs_embeds' : spec.superposedInput ? 'mix_ids' : 'input_ids';
  const c: Ctx = { b, spec, bias: maskBias(b, tokens), cos: ropeTable(b, cosTable), sin: ropeTable(b, sinTable) };
  // A split-embedding decoder holds the table only when the classifier is tied to it.
  const needEmbed = !spec.inputsEmbeds || w.lmHead === 'tied';
  const embed = needEmbed ? b.floatInit('model.embed_tokens.weight', [spec.vocabSize, spec.hiddenSize], w.embed) : '';
  const first = spec.layerOutputs ? 'hidden_states.0' : undefined;
  let x = spec.inputsEmbeds ? b.node('Identity', ['inputs_embeds'], {}, first) : spec.superposedInput ? superposedEmbedding(b, embed, first) : b.node('Gather', [embed, 'input_ids'], { axis: 0 }, first);
  w.layers.forEach((lw, i) => {
    x = b.node('Add', [x, attention(c, i, lw, x)]);
    x = b.node('Add', [x, mlp(c, i, lw, x)], {}, spec.layerOutputs ? `hidden_states.${i + 1}` : undefined);
  });
  head(c, w, embed, x);
  return b;
}
