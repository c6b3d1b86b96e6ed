// llama2.c checkpoint + tokenizer.bin → a transformers.js-layout model folder (config.json,
// generation_config.json, tokenizer files, onnx/model.onnx with KV cache, last_hidden_state and the
// per-layer hidden_states.{l}). Used at build time for the built-in models (scripts/import-llama2c.ts)
// and in the worker for checkpoints a user opens. See docs/models.md (llama2.c import).
import { buildLlamaOnnx, type LlamaLayerWeights, type LlamaShape, type LlamaWeights } from '../onnx/llama-graph';

/** The superposed-input variant graph of a converted checkpoint (config.json names it: logitscope.superposedGraph). */
export const SUPERPOSED_GRAPH = 'onnx/model_superposed.onnx';
import { readLlama2cCheckpoint, type Llama2cHeader, type Llama2cWeights } from './checkpoint';
import { readLlama2cTokenizer } from './tokenizer-bin';
import { llama2cTokenizerConfig, llama2cTokenizerJson } from './tokenizer-json';

/** One file of the converted folder: path relative to the folder, and its bytes. */
export interface ConvertedFile {
  path: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** The converted folder and the checkpoint's header. */
export interface Llama2cConversion {
  files: ConvertedFile[];
  header: Llama2cHeader;
}

/** Options of one conversion. */
export interface Llama2cOptions {
  /** Human label stored in config.json (`logitscope.label`). */
  label?: string;
  /** Graph name inside the ONNX file. */
  name?: string;
  /** Names the files in error messages. */
  modelWhere?: string;
  tokenizerWhere?: string;
  /** Also write the superposed-input variant graph (SUPERPOSED_GRAPH); default true. */
  superposedGraph?: boolean;
}

/** [rows, cols] row-major → [cols, rows] row-major. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}

/**
 * llama2.c rotates adjacent pairs (2i, 2i+1) of each head; HF's rotate-half pairs (i, i + d/2).
 * Reordering each head's output rows as [0, 2, 4, …, 1, 3, 5, …] turns one into the other; q and k
 * get the same order, so every q·k product (and so attention) is unchanged.
 */
function permuteHeads(w: Float32Array, heads: number, headSize: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  const half = headSize / 2;
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < headSize; j++) {
      const src = h * headSize + (j < half ? 2 * j : 2 * (j - half) + 1);
      out.set(w.subarray(src * cols, (src + 1) * cols), (h * headSize + j) * cols);
    }
  }
  return out;
}

function layer(w: Llama2cWeights, l: number): LlamaLayerWeights {
  const h = w.header;
  const hs = h.dim / h.nHeads;
  const kvDim = h.nKvHeads * hs;
  return {
    inputNorm: w.rmsAtt[l]!,
    wq: transpose(permuteHeads(w.wq[l]!, h.nHeads, hs, h.dim), h.dim, h.dim),
    wk: transpose(permuteHeads(w.wk[l]!, h.nKvHeads, hs, h.dim), kvDim, h.dim),
    wv: transpose(w.wv[l]!, kvDim, h.dim),
    wo: transpose(w.wo[l]!, h.dim, h.dim),
    postNorm: w.rmsFfn[l]!,
    wGate: transpose(w.w1[l]!, h.hiddenDim, h.dim),
    wUp: transpose(w.w3[l]!, h.hiddenDim, h.dim),
    wDown: transpose(w.w2[l]!, h.dim, h.hiddenDim),
  };
}

const json = (value: unknown): Uint8Array<ArrayBuffer> => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

function configJson(h: Llama2cHeader, label: string, superposed: boolean): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: h.vocabSize,
    hidden_size: h.dim,
    intermediate_size: h.hiddenDim,
    num_hidden_layers: h.nLayers,
    num_attention_heads: h.nHeads,
    num_key_value_heads: h.nKvHeads,
    head_dim: h.dim / h.nHeads,
    hidden_act: 'silu',
    rope_theta: 10000,
    rms_norm_eps: 1e-5,
    max_position_embeddings: h.seqLen,
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: 1,
    eos_token_id: 2,
    pad_token_id: 0,
    tie_word_embeddings: h.sharedClassifier,
    torch_dtype: 'float32',
    use_cache: true,
    'transformers.js_config': { dtype: 'fp32', use_external_data_format: false },
    logitscope: { source: 'llama2.c', label, layerOutputs: h.nLayers + 1, ...(superposed ? { superposedGraph: SUPERPOSED_GRAPH } : {}) },
  };
}

/** Converts checkpoint and tokenizer bytes; throws `model-invalid` naming the file and the problem. */
export function convertLlama2c(model: Uint8Array, tokenizer: Uint8Array, options: Llama2cOptions = {}): Llama2cConversion {
  const w = readLlama2cCheckpoint(model, options.modelWhere ?? 'checkpoint');
  const h = w.header;
  const vocab = readLlama2cTokenizer(tokenizer, h.vocabSize, options.tokenizerWhere ?? 'tokenizer.bin');
  const tokenizerJson = llama2cTokenizerJson(vocab, options.tokenizerWhere ?? 'tokenizer.bin');
  const shape: LlamaShape = {
    name: options.name ?? 'llama2c',
    hiddenSize: h.dim,
    intermediateSize: h.hiddenDim,
    numLayers: h.nLayers,
    numHeads: h.nHeads,
    numKvHeads: h.nKvHeads,
    headDim: h.dim / h.nHeads,
    rmsNormEps: 1e-5,
    maxPositions: h.seqLen,
    vocabSize: h.vocabSize,
    layerOutputs: true,
  };
  const weights: LlamaWeights = {
    embed: w.tokenEmbedding,
    layers: Array.from({ length: h.nLayers }, (_, l) => layer(w, l)),
    finalNorm: w.rmsFinal,
    lmHead: h.sharedClassifier ? 'tied' : transpose(w.classifier, h.vocabSize, h.dim),
    lmBias: null,
    // The checkpoint carries its RoPE tables; using them keeps run.c's exact rotation.
    ropeCos: w.freqCisReal,
    ropeSin: w.freqCisImag,
  };
  const onnx = buildLlamaOnnx(shape, weights, 'logitscope-llama2c-import');
  // Superposed decoding's variant: the same weights, fed a weighted mix of token embeddings
  // (mix_ids / mix_weights) instead of input_ids; logits and the KV cache only.
  const withSuperposed = options.superposedGraph ?? true;
  const superposed = !withSuperposed ? null : buildLlamaOnnx({ ...shape, name: `${shape.name}-superposed`, layerOutputs: false, hiddenOutput: false, superposedInput: true }, weights, 'logitscope-llama2c-import');
  // run.c ends a story when the model emits BOS (id 1); </s> (2) is the tokenizer's EOS.
  const gen = { bos_token_id: 1, eos_token_id: [2, 1], pad_token_id: 0, do_sample: false, max_length: h.seqLen };
  return {
    header: h,
    files: [
      { path: 'config.json', bytes: json(configJson(h, options.label ?? 'llama2.c import', superposed !== null)) },
      { path: 'generation_config.json', bytes: json(gen) },
      { path: 'tokenizer.json', bytes: json(tokenizerJson) },
      { path: 'tokenizer_config.json', bytes: json(llama2cTokenizerConfig(h.seqLen)) },
      { path: 'special_tokens_map.json', bytes: json({ bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' }) },
      { path: 'onnx/model.onnx', bytes: onnx },
      ...(superposed ? [{ path: SUPERPOSED_GRAPH, bytes: superposed }] : []),
    ],
  };
}
