import { LogitscopeError } from '../errors';
import type { Backend, Dtype, LoadProgress } from '../protocol';
import { fetchModelFile, fetchModelJson } from './fetch-file';
import { ModelSession } from './session';
import { onnxFileFor, resolveSource, type ModelSource } from './source';
import { TextTokenizer } from './tokenizer';

/** A model ready to decode: its session, tokenizer and where it came from. */
export interface LoadedModel {
  source: ModelSource;
  dtype: Dtype;
  backend: Backend;
  config: Record<string, unknown>;
  tokenizer: TextTokenizer;
  session: ModelSession;
}

const DECODER_TYPES = new Set(['llama', 'qwen2', 'qwen3', 'mistral', 'phi3', 'gemma', 'gemma2', 'gemma3_text', 'granite', 'olmo', 'olmo2', 'smollm3', 'gpt2', 'gpt_neox', 'stablelm', 'starcoder2']);

/** Options for loading one model. */
export interface LoadOptions {
  dtype: Dtype | undefined;
  backend: Backend;
  shaderF16: boolean;
  origin: string;
  onProgress: (p: LoadProgress) => void;
}

/** Check that config.json describes a decoder-only model we can drive. */
function checkArchitecture(config: Record<string, unknown>, url: string): void {
  const type = typeof config.model_type === 'string' ? config.model_type : '';
  const archs = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  const causal = archs.some((a) => a.endsWith('ForCausalLM'));
  if (config.is_encoder_decoder === true || (!causal && !DECODER_TYPES.has(type))) {
    throw new LogitscopeError(
      'model-invalid',
      `${url} describes model_type ${JSON.stringify(type)} (${archs.join(', ') || 'no architectures'}), which is not a supported decoder-only language model`,
    );
  }
}

function defaultDtype(config: Record<string, unknown>, shaderF16: boolean): Dtype {
  const tjs = config['transformers.js_config'];
  const d = tjs && typeof tjs === 'object' ? (tjs as Record<string, unknown>).dtype : undefined;
  if (d === 'fp32' || d === 'fp16' || d === 'q8' || d === 'q4' || d === 'q4f16') return d;
  return shaderF16 ? 'q4f16' : 'q4';
}

function eosFrom(gen: Record<string, unknown> | null, config: Record<string, unknown>): number[] {
  const ids: number[] = [];
  for (const v of [gen?.eos_token_id, config.eos_token_id]) {
    if (typeof v === 'number') ids.push(v);
    else if (Array.isArray(v)) ids.push(...v.filter((x): x is number => typeof x === 'number'));
  }
  return ids;
}

/** Fetch config, tokenizer and ONNX file of a model (with progress) and open its session. */
export async function loadModel(spec: string, opts: LoadOptions): Promise<LoadedModel> {
  const source = resolveSource(spec, opts.origin);
  const remote = source.baseUrl.startsWith('https://');
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', ''];
  let filesDone = 0;
  let doneBytes = 0;
  // The ONNX file is fetched last and dwarfs the JSON files: the overall percentage is known only
  // once its size is, so it stays null before.
  const report = (file: string, loaded: number, total: number, cached: boolean, status?: LoadProgress['status']) => {
    const last = filesDone >= files.length - 1 || status === 'compiling' || status === 'done';
    const all = doneBytes + Math.max(loaded, total);
    opts.onProgress({
      model: spec,
      file,
      status: status ?? (cached ? 'cached' : 'fetching'),
      fileLoaded: loaded,
      fileTotal: total,
      filesDone,
      filesTotal: files.length,
      loaded: doneBytes + loaded,
      total: all,
      percent: last && total > 0 ? Math.min(100, (100 * (doneBytes + loaded)) / all) : null,
    });
  };
  const json = async (name: string, optional = false) => {
    try {
      let size = 0;
      const v = await fetchModelJson(source.baseUrl + name, (l, t, c) => report(name, (size = l), t, c), remote);
      filesDone++;
      doneBytes += size;
      return v;
    } catch (e) {
      if (optional && e instanceof LogitscopeError && e.code === 'model-not-found') {
        filesDone++;
        return null;
      }
      throw e;
    }
  };
  const config = (await json('config.json'))!;
  checkArchitecture(config, source.baseUrl + 'config.json');
  const tokJson = (await json('tokenizer.json'))!;
  const tokConfig = (await json('tokenizer_config.json'))!;
  const gen = await json('generation_config.json', true);
  const tokenizer = TextTokenizer.create(tokJson, tokConfig, eosFrom(gen, config), source.baseUrl + 'tokenizer.json');
  const dtype = opts.dtype ?? defaultDtype(config, opts.shaderF16);
  const onnxName = onnxFileFor(dtype);
  const onnxUrl = source.baseUrl + onnxName;
  files[4] = onnxName;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await fetchModelFile(onnxUrl, (l, t, c) => report(onnxName, l, t, c), remote);
  } catch (e) {
    if (e instanceof LogitscopeError && e.code === 'model-not-found') {
      throw new LogitscopeError('model-not-found', `No ONNX file for dtype ${dtype}: ${e.message.replace(/^\[[a-z-]+\]\s*/, '')}`);
    }
    throw e;
  }
  report(onnxName, bytes.byteLength, bytes.byteLength, false, 'compiling');
  const logitWidth = typeof config.vocab_size === 'number' ? config.vocab_size : tokenizer.size;
  const session = await ModelSession.create(bytes, {
    backend: opts.backend,
    dtype,
    validVocab: Math.min(tokenizer.size, logitWidth),
    logitWidth,
    where: onnxUrl,
  });
  filesDone++;
  report(onnxName, bytes.byteLength, bytes.byteLength, false, 'done');
  return { source, dtype, backend: opts.backend, config, tokenizer, session };
}
