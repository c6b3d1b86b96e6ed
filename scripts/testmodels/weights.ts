// Weight generation for the built-in models. Both the ONNX writer and the reference forward call
// this, so the reference re-derives the weights from spec + seed instead of parsing the ONNX file.
import type { LlamaLayerWeights, LlamaWeights } from '../../workers/onnx/llama-graph';
import { uniformTensor } from './prng';
import { FAMILY_SEED, TOKENIZER_VOCAB_SIZE, loadSpec, type ModelSpec } from './specs';

// Sublayer outputs are scaled down so the residual stream stays close to the embedding: this keeps
// the 1-layer draft's argmax correlated with the 2-layer target's.
const LAYER_OUT_SCALE = 0.6;
// Standard deviation of the logits for a unit-RMS final hidden state: peaked but not one-hot.
const LOGIT_SCALE = 2.5;

/** Weights of one decoder layer; matrices are row-major [in, out] (the MatMul right operand). */
export type LayerWeights = LlamaLayerWeights;

/** All weights of one built-in test model, float32; the classifier is a matrix of its own. */
export interface ModelWeights extends LlamaWeights {
  /** lm_head transposed, [hidden, vocab] (column = token id). */
  lmHead: Float32Array;
}

function layerWeights(spec: ModelSpec, src: number): LayerWeights {
  const h = spec.hiddenSize;
  const qw = spec.numHeads * spec.headDim;
  const kvw = spec.numKvHeads * spec.headDim;
  const im = spec.intermediateSize;
  const t = (part: string, count: number, std: number, mean = 0): Float32Array =>
    uniformTensor(FAMILY_SEED, `layers.${src}.${part}`, count, std, mean);
  return {
    inputNorm: t('input_layernorm', h, 0.1, 1),
    wq: t('q_proj', h * qw, 1 / Math.sqrt(h)),
    wk: t('k_proj', h * kvw, 1 / Math.sqrt(h)),
    wv: t('v_proj', h * kvw, 1 / Math.sqrt(h)),
    wo: t('o_proj', qw * h, LAYER_OUT_SCALE / Math.sqrt(qw)),
    postNorm: t('post_attention_layernorm', h, 0.1, 1),
    wGate: t('gate_proj', h * im, 1 / Math.sqrt(h)),
    wUp: t('up_proj', h * im, 1 / Math.sqrt(h)),
    wDown: t('down_proj', im * h, LAYER_OUT_SCALE / Math.sqrt(im)),
  };
}

/** RoPE tables [maxPositions, headDim/2] with HF Llama's invFreq_i = θ^(-2i/headDim). */
export function ropeTables(spec: ModelSpec): { cos: Float32Array; sin: Float32Array } {
  const half = spec.headDim / 2;
  const cos = new Float32Array(spec.maxPositions * half);
  const sin = new Float32Array(spec.maxPositions * half);
  for (let i = 0; i < half; i++) {
    const invFreq = 1 / Math.pow(spec.ropeTheta, (2 * i) / spec.headDim);
    for (let p = 0; p < spec.maxPositions; p++) {
      cos[p * half + i] = Math.cos(p * invFreq);
      sin[p * half + i] = Math.sin(p * invFreq);
    }
  }
  return { cos, sin };
}

function lmHeadWeights(spec: ModelSpec): { lmHead: Float32Array; lmBias: Float32Array | null } {
  const h = spec.hiddenSize;
  const v = spec.vocabSize;
  // Generated one token row at a time so a padded model's first rows equal the target's.
  const rows = uniformTensor(FAMILY_SEED, 'lm_head', v * h, LOGIT_SCALE / Math.sqrt(h));
  const lmHead = new Float32Array(h * v);
  for (let tok = 0; tok < v; tok++) for (let i = 0; i < h; i++) lmHead[i * v + tok] = rows[tok * h + i] ?? 0;
  if (spec.paddedRowBias === 0) return { lmHead, lmBias: null };
  const lmBias = new Float32Array(v);
  lmBias.fill(spec.paddedRowBias, TOKENIZER_VOCAB_SIZE);
  return { lmHead, lmBias };
}

function buildWeights(spec: ModelSpec): ModelWeights {
  const h = spec.hiddenSize;
  const { cos, sin } = ropeTables(spec);
  return {
    embed: uniformTensor(FAMILY_SEED, 'embed_tokens', spec.vocabSize * h, 1),
    layers: spec.layerSources.map((src) => layerWeights(spec, src)),
    finalNorm: uniformTensor(FAMILY_SEED, 'norm', h, 0.1, 1),
    ...lmHeadWeights(spec),
    ropeCos: cos,
    ropeSin: sin,
  };
}

const cache = new Map<string, ModelWeights>();

/** The weights of a built-in model by name, generated once per process and then shared. */
export function modelWeights(name: string): ModelWeights {
  let w = cache.get(name);
  if (!w) {
    w = buildWeights(loadSpec(name));
    cache.set(name, w);
  }
  return w;
}
