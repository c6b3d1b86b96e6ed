import type * as ort from 'onnxruntime-web/webgpu';
import { LogitscopeError } from '../errors';
import { APP_UPDATED_MESSAGE, runtimeFileGone, type Backend, type Dtype } from '../../protocol';
import { gpuLedger } from '../runtime/gpu-ledger';
import { configureOrt, ortWasmUrl } from '../runtime/ort';
import { factsFromMetadata, type GraphFacts } from './capabilities';
import { KvCache } from './kv-cache';
import { Logits } from './logits';

/** Static facts about a loaded decoder graph. */
export interface SessionFacts {
  backend: Backend;
  dtype: Dtype;
  /** lm_head rows (logit row width). */
  logitWidth: number;
  /** Ids the tokenizer defines; rows at or beyond are masked. */
  validVocab: number;
  pastNames: string[];
  kvHeads: number;
  headDim: number;
  kvType: 'float32' | 'float16';
  hasPositionIds: boolean;
  hasHiddenState: boolean;
  /** The graph outputs `layer_logits` (the logit lens at the last position: llama2.c imports, the built-in models). */
  hasLayerLogits: boolean;
  /** Rows of `layer_logits` (layers + 1) when fixed in the graph, 0 without them. */
  lensLayers: number;
  /** Name of a `num_logits_to_keep`-style input, fed 0 (all positions), or null. */
  logitsToKeepInput: string | null;
}

/** Options of one forward pass. */
export interface ForwardOptions {
  /** Also return `last_hidden_state` (built-in models export it). */
  hidden?: boolean;
  /** Also return `layer_logits` when the graph has them (the logit lens, DoLa). */
  layers?: boolean;
}

/** Result of one forward pass; the caller owns (and must dispose) all of it. */
export interface ForwardResult {
  logits: Logits;
  cache: KvCache;
  /** `last_hidden_state` [batch, seqLen, hidden] (GPU-resident on WebGPU), when asked for and exported. */
  hidden?: ort.Tensor;
  /**
   * `layer_logits` as logit rows: batch row b, layer l is row b·(L+1) + l (seqLen = L + 1, the layers
   * 0 = embedding … L = the model's output), when asked for and exported.
   */
  layers?: Logits;
}

/**
 * Superposed decoding's variant graph of a model (llama2.c imports and the built-in trained models:
 * onnx/model_superposed.onnx, same weights, `mix_ids` / `mix_weights` in place of input_ids): read
 * and compiled on first use, so the ids path costs nothing more.
 */
export interface SuperposedSource {
  read: () => Promise<Uint8Array>;
  /** The file, for error messages. */
  where: string;
}

/** One position's superposition: token ids and their weights (Σ weights·E[ids] is fed). */
export interface TokenMix {
  ids: number[];
  weights: number[];
}

/**
 * One decoder-only ONNX model in an ORT InferenceSession whose `logits` and `present.*` outputs stay
 * where the EP produced them (GPU buffers on WebGPU) and are fed back as `past_key_values.*`.
 */
export class ModelSession {
  private superposedSource: SuperposedSource | null = null;
  private superposedSession: Promise<ort.InferenceSession> | null = null;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly facts: SessionFacts,
    /** Split-embedding exports: input_ids → inputs_embeds, run before the decoder. */
    private readonly embed: ort.InferenceSession | null = null,
  ) {}

  /**
   * Create the session from ONNX bytes; `where` names the file for error messages; `externalData`
   * holds the weights of exports split into `model*.onnx_data` files (path relative to the graph).
   */
  static async create(
    bytes: Uint8Array,
    opts: {
      backend: Backend;
      dtype: Dtype;
      validVocab: number;
      logitWidth: number;
      where: string;
      externalData?: { path: string; data: Uint8Array }[];
      /** The embedding graph of a split-embedding export (its decoder takes inputs_embeds) and its file. */
      embed?: { bytes: Uint8Array; where: string } | null;
    },
  ): Promise<ModelSession> {
    const embed = opts.embed ? await open(opts.embed.bytes, opts.backend, opts.embed.where) : null;
    let session: ort.InferenceSession;
    try {
      session = await open(bytes, opts.backend, opts.where, opts.externalData);
    } catch (e) {
      await embed?.release().catch(() => undefined);
      throw e;
    }
    try {
      return new ModelSession(session, inspect(session, { ...opts, embed }), embed);
    } catch (e) {
      // The inspection's error is the one to report, whatever releasing says.
      await Promise.allSettled([session.release(), embed?.release()]);
      throw e;
    }
  }

  /** Empty cache for `batch` rows (length 0). */
  emptyCache(batch: number): KvCache {
    const o = configureOrt();
    const f = this.facts;
    const tensors = new Map<string, ort.Tensor>();
    for (const name of f.pastNames) {
      const dims = [batch, f.kvHeads, 0, f.headDim];
      const t = f.kvType === 'float16' ? new o.Tensor('float16', new Uint16Array(0), dims) : new o.Tensor('float32', new Float32Array(0), dims);
      tensors.set(name, t);
    }
    return new KvCache(tensors, 0, batch);
  }

  /**
   * Run the decoder on `ids` ([batch][len], equal lengths, no padding) after `cache`. The input
   * cache is left intact (dispose it when no longer needed); the result holds the new cache.
   */
  async forward(ids: number[][], cache: KvCache, options: ForwardOptions = {}): Promise<ForwardResult> {
    const o = configureOrt();
    const batch = ids.length;
    const len = ids[0]?.length ?? 0;
    if (batch !== cache.batch || len === 0 || ids.some((r) => r.length !== len)) {
      throw new LogitscopeError('internal', `forward needs ${cache.batch} rows of equal non-zero length`);
    }
    const total = cache.length + len;
    const idsT = new o.Tensor('int64', BigInt64Array.from(ids.flat(), BigInt), [batch, len]);
    const embeds = this.embed ? (await this.embed.run({ input_ids: idsT })).inputs_embeds : undefined;
    if (this.embed && !embeds) throw new LogitscopeError('model-invalid', 'the embedding graph returned no inputs_embeds output');
    if (embeds) gpuLedger.trackTensor(embeds);
    const feeds: Record<string, ort.Tensor> = {
      ...(embeds ? { inputs_embeds: embeds } : { input_ids: idsT }),
      attention_mask: new o.Tensor('int64', new BigInt64Array(batch * total).fill(1n), [batch, total]),
    };
    if (this.facts.hasPositionIds) {
      const pos = new BigInt64Array(batch * len);
      for (let b = 0; b < batch; b++) for (let i = 0; i < len; i++) pos[b * len + i] = BigInt(cache.length + i);
      feeds.position_ids = new o.Tensor('int64', pos, [batch, len]);
    }
    for (const [name, t] of cache.tensors) feeds[name] = t;
    if (this.facts.logitsToKeepInput) feeds[this.facts.logitsToKeepInput] = new o.Tensor('int64', BigInt64Array.from([0n]), []);
    const fetches = ['logits', ...this.facts.pastNames.map(presentName)];
    if (options.hidden && this.facts.hasHiddenState) fetches.push('last_hidden_state');
    if (options.layers && this.facts.hasLayerLogits) fetches.push('layer_logits');
    let out: ort.InferenceSession.ReturnType;
    try {
      out = await this.session.run(feeds, fetches);
    } finally {
      embeds?.dispose();
    }
    // Every GPU output is counted until disposed (the leak figures of window.logitscope.gpuStats()).
    for (const t of Object.values(out)) gpuLedger.trackTensor(t);
    const logitsT = out.logits;
    if (!logitsT) throw new LogitscopeError('model-invalid', 'the model returned no logits output');
    const next = new Map<string, ort.Tensor>();
    for (const name of this.facts.pastNames) {
      const t = out[presentName(name)];
      if (!t) throw new LogitscopeError('model-invalid', `the model returned no ${presentName(name)} output`);
      next.set(name, t);
    }
    const hidden = options.hidden ? out.last_hidden_state : undefined;
    if (!hidden) out.last_hidden_state?.dispose();
    const width = logitsT.dims[2] ?? this.facts.logitWidth;
    const seqLen = logitsT.dims[1] ?? len;
    const result: ForwardResult = { logits: new Logits(logitsT, batch, seqLen, width, Math.min(this.facts.validVocab, width)), cache: new KvCache(next, total, batch) };
    if (hidden) result.hidden = hidden;
    const lens = out.layer_logits;
    if (lens) {
      const lw = lens.dims[2] ?? width;
      result.layers = new Logits(lens, batch, lens.dims[1] ?? 1, lw, Math.min(this.facts.validVocab, lw));
    }
    return result;
  }

  /** Offer the superposed-input variant graph (the loader does, when config.json names one). */
  setSuperposedSource(source: SuperposedSource | null): void {
    this.superposedSource = source;
  }

  /** Whether the model has a superposed-input variant graph (superposed decoding). */
  get hasSuperposedInput(): boolean {
    return this.superposedSource !== null;
  }

  private openSuperposed(): Promise<ort.InferenceSession> {
    const src = this.superposedSource;
    if (!src) return Promise.reject(new LogitscopeError('bad-request', 'this model has no superposed-input graph (onnx/model_superposed.onnx): superposed decoding runs on the built-in trained models and llama2.c imports'));
    this.superposedSession ??= (async () => {
      const session = await open(await src.read(), this.facts.backend, src.where);
      const missing = ['mix_ids', 'mix_weights', 'attention_mask', 'position_ids', ...this.facts.pastNames].filter((n) => !session.inputNames.includes(n));
      if (missing.length > 0) {
        await session.release().catch(() => undefined);
        throw new LogitscopeError('model-invalid', `${src.where} is not a superposed-input decoder of this model (missing inputs: ${missing.join(', ')})`);
      }
      return session;
    })();
    // A failed open may be retried by the next run.
    this.superposedSession.catch(() => (this.superposedSession = null));
    return this.superposedSession;
  }

  /**
   * One forward of the superposed-input variant: batch row b feeds ONE position whose embedding is
   * Σ_j mix[b].weights[j]·E[mix[b].ids[j]], after `cache` (the same KV layout as `forward`). The input
   * cache is left intact; the caller disposes the result.
   */
  async forwardSuperposed(mix: TokenMix[], cache: KvCache): Promise<ForwardResult> {
    const o = configureOrt();
    const batch = mix.length;
    if (batch !== cache.batch || mix.some((r) => r.ids.length === 0 || r.ids.length !== r.weights.length)) {
      throw new LogitscopeError('internal', `forwardSuperposed needs ${cache.batch} mixes of ≥ 1 id with one weight each`);
    }
    const session = await this.openSuperposed();
    const m = Math.max(...mix.map((r) => r.ids.length));
    // Rows shorter than m are padded with weight 0 (id 0), which adds exactly nothing.
    const ids = new BigInt64Array(batch * m);
    const weights = new Float32Array(batch * m);
    mix.forEach((r, b) => r.ids.forEach((id, j) => {
      ids[b * m + j] = BigInt(id);
      weights[b * m + j] = r.weights[j]!;
    }));
    const total = cache.length + 1;
    const feeds: Record<string, ort.Tensor> = {
      mix_ids: new o.Tensor('int64', ids, [batch, 1, m]),
      mix_weights: new o.Tensor('float32', weights, [batch, 1, m]),
      attention_mask: new o.Tensor('int64', new BigInt64Array(batch * total).fill(1n), [batch, total]),
      position_ids: new o.Tensor('int64', new BigInt64Array(batch).fill(BigInt(cache.length)), [batch, 1]),
    };
    for (const [name, t] of cache.tensors) feeds[name] = t;
    const out = await session.run(feeds, ['logits', ...this.facts.pastNames.map(presentName)]);
    for (const t of Object.values(out)) gpuLedger.trackTensor(t);
    const logitsT = out.logits;
    if (!logitsT) throw new LogitscopeError('model-invalid', 'the superposed graph returned no logits output');
    const next = new Map<string, ort.Tensor>();
    for (const name of this.facts.pastNames) {
      const t = out[presentName(name)];
      if (!t) throw new LogitscopeError('model-invalid', `the superposed graph returned no ${presentName(name)} output`);
      next.set(name, t);
    }
    const width = logitsT.dims[2] ?? this.facts.logitWidth;
    return { logits: new Logits(logitsT, batch, 1, width, Math.min(this.facts.validVocab, width)), cache: new KvCache(next, total, batch) };
  }

  /** What ORT's metadata says about the graph (fp16 inputs/outputs, the fixed logits width). */
  graphFacts(): GraphFacts {
    return factsFromMetadata(this.session.inputMetadata, this.session.outputMetadata);
  }

  /** Release the ORT session(s). */
  async release(): Promise<void> {
    const superposed = this.superposedSession;
    this.superposedSession = null;
    await Promise.all([this.session.release(), this.embed?.release(), superposed?.then((s) => s.release()).catch(() => undefined)]);
  }
}

/** One ORT session whose outputs stay where the EP produced them (GPU buffers on WebGPU). */
async function open(bytes: Uint8Array, backend: Backend, where: string, externalData?: { path: string; data: Uint8Array }[]): Promise<ort.InferenceSession> {
  const o = configureOrt();
  try {
    return await o.InferenceSession.create(bytes, {
      executionProviders: [backend === 'webgpu' ? 'webgpu' : 'wasm'],
      preferredOutputLocation: backend === 'webgpu' ? 'gpu-buffer' : 'cpu',
      graphOptimizationLevel: 'all',
      ...(externalData && externalData.length > 0 ? { externalData } : {}),
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const missing = /Could not find an implementation for (\w+)\(\d+\)/.exec(msg);
    if (missing) {
      // The two builds differ: e.g. the WASM build bundled with WebGPU support has no CPU kernel for
      // GatherBlockQuantized (split-embedding exports), which the WebGPU EP runs.
      const [here, other] = backend === 'webgpu' ? ['WebGPU', 'WASM'] : ['WASM', 'WebGPU'];
      throw new LogitscopeError('model-invalid', `The ONNX file ${where} uses the operator ${missing[1]}, which onnxruntime-web's ${here} backend in this app does not implement: switch Backend to ${other}, or use an export without ${missing[1]}`);
    }
    // A deploy under an open page removes this build's ORT wasm: ORT then compiles the server's 404
    // page and fails here, which is no fault of the model.
    if (await runtimeFileGone(ortWasmUrl())) throw new LogitscopeError('app-updated', APP_UPDATED_MESSAGE);
    const code = /memory|allocat/i.test(msg) ? 'out-of-memory' : 'model-invalid';
    throw new LogitscopeError(code, `The ONNX file ${where} could not be loaded: ${msg}`);
  }
}

function lensRows(session: ort.InferenceSession): number {
  const meta = session.outputMetadata.find((m) => m.name === 'layer_logits');
  const rows = meta && meta.isTensor ? meta.shape[1] : undefined;
  return typeof rows === 'number' ? rows : 0;
}

function presentName(pastName: string): string {
  return pastName.replace(/^past_key_values\./, 'present.');
}

function inspect(
  session: ort.InferenceSession,
  opts: { backend: Backend; dtype: Dtype; validVocab: number; logitWidth: number; where: string; embed: ort.InferenceSession | null },
): SessionFacts {
  const inputs = session.inputNames;
  const tokens = opts.embed ? 'inputs_embeds' : 'input_ids';
  if (!inputs.includes(tokens) || !inputs.includes('attention_mask') || !session.outputNames.includes('logits')) {
    throw new LogitscopeError('model-invalid', `${opts.where} is not a decoder with ${tokens}, attention_mask and logits (inputs: ${inputs.join(', ')})`);
  }
  if (opts.embed && (!opts.embed.inputNames.includes('input_ids') || !opts.embed.outputNames.includes('inputs_embeds'))) {
    throw new LogitscopeError('model-invalid', `the embedding graph beside ${opts.where} must map input_ids to inputs_embeds (inputs: ${opts.embed.inputNames.join(', ')}; outputs: ${opts.embed.outputNames.join(', ')})`);
  }
  const pastNames = inputs.filter((n) => n.startsWith('past_key_values.'));
  if (pastNames.length === 0) throw new LogitscopeError('model-invalid', `${opts.where} has no past_key_values inputs: export it with a KV cache (use_cache)`);
  const meta = session.inputMetadata.find((m) => m.name === pastNames[0]);
  const shape = meta && meta.isTensor ? meta.shape : [];
  const kvHeads = shape[1];
  const headDim = shape[3];
  if (typeof kvHeads !== 'number' || typeof headDim !== 'number') {
    throw new LogitscopeError('model-invalid', `${opts.where}: past_key_values must have fixed head count and head size, got shape [${shape.join(', ')}]`);
  }
  const kvType = meta && meta.isTensor && meta.type === 'float16' ? 'float16' : 'float32';
  return {
    backend: opts.backend,
    dtype: opts.dtype,
    logitWidth: opts.logitWidth,
    validVocab: opts.validVocab,
    pastNames,
    kvHeads,
    headDim,
    kvType,
    hasPositionIds: inputs.includes('position_ids'),
    hasHiddenState: session.outputNames.includes('last_hidden_state'),
    hasLayerLogits: session.outputNames.includes('layer_logits'),
    lensLayers: lensRows(session),
    logitsToKeepInput: inputs.find((n) => n === 'num_logits_to_keep' || n === 'logits_to_keep') ?? null,
  };
}
