// The files of each built-in model folder (the trained llama2.c pair and the random-weight test
// models), laid out like a Hugging Face Hub repo that transformers.js loads (config.json, tokenizer
// files, onnx/model.onnx), plus index.json.
import { buildLlamaOnnx } from './llama-graph';
import { BOS_ID, EOS_ID, PAD_ID, TOKENIZER_VOCAB_SIZE, builtinNames, loadSpec } from './specs';
import { specialTokensMapJson, tokenizerConfigJson, tokenizerJson } from './tokenizer';
import { trainedFiles, trainedIndex } from './trained';
import { modelWeights } from './weights';

/** One file to write: path relative to public/models/builtin/, and its exact bytes. */
export interface OutFile {
  /** Relative path with forward slashes, e.g. `tiny-llama/onnx/model.onnx`. */
  path: string;
  /** File contents. */
  bytes: Uint8Array;
}

/** One entry of public/models/builtin/index.json. */
export interface BuiltinIndexEntry {
  /** `builtin:<name>`. */
  id: string;
  /** Short label for the model picker. */
  label: string;
  /** One sentence for the model picker. */
  description: string;
  /** `builtin:<other>` for a draft/target pair, else null. */
  pairedWith: string | null;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

function configJson(name: string): object {
  const s = loadSpec(name);
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: s.vocabSize,
    hidden_size: s.hiddenSize,
    intermediate_size: s.intermediateSize,
    num_hidden_layers: s.layerSources.length,
    num_attention_heads: s.numHeads,
    num_key_value_heads: s.numKvHeads,
    head_dim: s.headDim,
    hidden_act: 'silu',
    rope_theta: s.ropeTheta,
    rms_norm_eps: s.rmsNormEps,
    max_position_embeddings: s.maxPositions,
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: BOS_ID,
    eos_token_id: EOS_ID,
    pad_token_id: PAD_ID,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    use_cache: true,
    'transformers.js_config': { dtype: 'fp32', use_external_data_format: false },
    logitscope: { builtin: true, label: 'test model, random weights', tokenizerVocabSize: TOKENIZER_VOCAB_SIZE },
  };
}

/** Every file of one model folder, paths prefixed with `<name>/`. */
export function modelFiles(name: string): OutFile[] {
  const spec = loadSpec(name);
  const gen = { bos_token_id: BOS_ID, eos_token_id: EOS_ID, pad_token_id: PAD_ID, do_sample: false };
  return [
    { path: `${name}/config.json`, bytes: json(configJson(name)) },
    { path: `${name}/generation_config.json`, bytes: json(gen) },
    { path: `${name}/tokenizer.json`, bytes: json(tokenizerJson()) },
    { path: `${name}/tokenizer_config.json`, bytes: json(tokenizerConfigJson(spec.maxPositions)) },
    { path: `${name}/special_tokens_map.json`, bytes: json(specialTokensMapJson()) },
    { path: `${name}/onnx/model.onnx`, bytes: buildLlamaOnnx(spec, modelWeights(name)) },
  ];
}

/** The entries of index.json: the trained pair first (the default), then the random-weight test models. */
export function builtinIndex(): BuiltinIndexEntry[] {
  return [...trainedIndex(), ...testIndex()];
}

function testIndex(): BuiltinIndexEntry[] {
  return builtinNames.map((name) => {
    const s = loadSpec(name);
    const pairedWith = s.pairedWith === null ? null : `builtin:${s.pairedWith}`;
    return { id: `builtin:${name}`, label: s.label, description: s.description, pairedWith };
  });
}

/** All files under public/models/builtin/: every model folder plus index.json. */
export function allBuiltinFiles(): OutFile[] {
  return [...trainedFiles(), ...builtinNames.flatMap(modelFiles), { path: 'index.json', bytes: json(builtinIndex()) }];
}
