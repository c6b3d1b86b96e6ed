import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { timeOrtRuns } from '../workers/runtime/ort-run-timer';
import type { Backend, LogitscopeWorkerApi, ParamValue, RunRecord, WorkerEvents } from '../protocol';

/** One measured run of one strategy through our worker (the app's path). */
export interface OursFigure {
  tokens: number[];
  newTokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  readbackBytesPerToken: number;
  targetForwardsPerToken: number;
  draftForwardsPerToken: number;
  /**
   * Emitted tokens per target forward pass (τ for speculative strategies; 1 for one-token steps);
   * 0 when the target never ran (EAD that stayed on the draft: no target pass to divide by).
   */
  meanAcceptedLength: number;
  /** Per-step wall time (ms per emitted token). */
  msPerToken: number;
  /**
   * Tokens per second of the whole run as the page waits for it: from the `run` call to its
   * record (tokenizing, prefill, every step, the time between steps, the messages), what
   * transformers.js's `generate()` figure is measured as.
   */
  endToEndTokensPerSecond: number;
  /** Milliseconds per token spent inside onnxruntime's InferenceSession.run (forward passes). */
  ortMsPerToken: number;
  /** Milliseconds per token of the whole run (as endToEndTokensPerSecond): ORT's part plus everything of ours. */
  runMsPerToken: number;
  /** GPUQueue.submit calls in the worker per emitted token (ORT forwards and our kernels). */
  submitsPerToken: number;
  /** The part of submitsPerToken that is ours (kernels, KV-cache copies). */
  ourSubmitsPerToken: number;
  /** The part of submitsPerToken that is ORT's (forward passes, its uploads and readbacks). */
  ortSubmitsPerToken: number;
  /** The model's logit-lens rows (0: it exports no layer_logits; strategies that need them cannot run). */
  lensLayers: number;
}

/** What to run: a strategy with its params on a model (and a draft when the strategy needs one). */
export interface OursSpec {
  model: string;
  draft?: string | null;
  prompt: string;
  tokens: number;
  backend: Backend;
  strategy?: string;
  params?: Record<string, ParamValue>;
}

let api: Comlink.Remote<LogitscopeWorkerApi> | null = null;
function worker(): Comlink.Remote<LogitscopeWorkerApi> {
  api ??= Comlink.wrap<LogitscopeWorkerApi>(new Worker(new URL('../workers/decode.worker.ts', import.meta.url), { type: 'module' }));
  return api;
}

const quiet: WorkerEvents = { progress: () => undefined, device: () => undefined, steps: () => undefined, state: () => undefined };

/** The registered strategies (id, whether they need a draft, per-layer logits or the superposed-input graph), from the worker's catalog. */
export async function strategies(): Promise<{ id: string; needsDraft: boolean; needsLayerLogits: boolean; needsSuperposedInput: boolean }[]> {
  const c = await worker().catalog();
  return c.strategies.map((s) => ({ id: s.id, needsDraft: s.needsDraft, needsLayerLogits: s.needsLayerLogits ?? false, needsSuperposedInput: s.needsSuperposedInput ?? false }));
}

/** Run one strategy through our worker, after a warm-up run that compiles the pipelines. */
export async function benchOurs(o: OursSpec): Promise<OursFigure> {
  const req = {
    prompt: o.prompt,
    model: o.model,
    draft: o.draft ?? null,
    maxNewTokens: o.tokens,
    seed: 0,
    backend: o.backend,
    panels: [{ strategy: o.strategy ?? 'greedy', params: o.params ?? {} }],
    // The figures measure decoding: the logit lens (a view, one more small readout per forward on
    // models with layer outputs) stays off.
    logitLens: false,
  };
  const w = worker();
  await w.run({ ...req, maxNewTokens: Math.min(4, o.tokens) }, Comlink.proxy(quiet));
  const before = await w.gpuStats();
  const t0 = performance.now();
  const rec: RunRecord = await w.run(req, Comlink.proxy(quiet));
  const wallMs = performance.now() - t0;
  const after = await w.gpuStats();
  if (after.submits === undefined || after.ourSubmits === undefined || before.submits === undefined || before.ourSubmits === undefined) {
    throw new Error('gpuStats has no submit counts: the benchmark needs the test build (npm run build:test)');
  }
  if (after.ortRunMs === undefined || before.ortRunMs === undefined) throw new Error('gpuStats has no ORT run time: the benchmark needs the test build (npm run build:test)');
  const submits = after.submits - before.submits;
  const ours = after.ourSubmits - before.ourSubmits;
  const p = rec.panels[0]!;
  if (p.error) throw new Error(`${req.panels[0]!.strategy}: ${p.error}`);
  const n = p.stats.newTokens;
  return {
    tokens: p.tokens.map((t) => t.id),
    newTokens: n,
    tokensPerSecond: p.stats.tokensPerSecond,
    timeToFirstTokenMs: p.stats.timeToFirstTokenMs ?? NaN,
    readbackBytesPerToken: p.stats.readbackBytes / n,
    targetForwardsPerToken: p.stats.targetForwards / n,
    draftForwardsPerToken: p.stats.draftForwards / n,
    meanAcceptedLength: p.stats.targetForwards > 0 ? n / p.stats.targetForwards : 0,
    msPerToken: p.stats.wallMs / n,
    endToEndTokensPerSecond: (1000 * n) / wallMs,
    ortMsPerToken: (after.ortRunMs - before.ortRunMs) / n,
    runMsPerToken: wallMs / n,
    submitsPerToken: submits / n,
    ourSubmitsPerToken: ours / n,
    ortSubmitsPerToken: (submits - ours) / n,
    lensLayers: rec.model.lensLayers ?? 0,
  };
}

/** What one transformers.js `generate()` run measured. */
export interface TransformersFigure {
  tokens: number[];
  newTokens: number;
  tokensPerSecond: number;
  /** Milliseconds per token inside onnxruntime's InferenceSession.run (the same ORT build as ours). */
  ortMsPerToken: number;
  /** Milliseconds per token of the whole generate() call. */
  runMsPerToken: number;
}

/** transformers.js `model.generate()` greedy on the same model folder and backend, timed end to end. */
export async function benchTransformers(o: { folder: string; prompt: string; tokens: number; backend: Backend }): Promise<TransformersFigure> {
  ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, location.href).href };
  ort.env.wasm.numThreads = 1;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  const parts = o.folder.replace(/\/$/, '').split('/');
  const name = parts.pop()!;
  env.localModelPath = `${parts.join('/')}/`;
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  const model = await AutoModelForCausalLM.from_pretrained(name, { device: o.backend, dtype: 'fp32' });
  const inputs = tokenizer(o.prompt);
  const gen = (n: number) => model.generate({ ...inputs, max_new_tokens: n, min_new_tokens: n, do_sample: false });
  await gen(4);
  // transformers.js runs the page's onnxruntime-web (the same package and build as the worker's):
  // time its InferenceSession.run calls during the measured generate().
  let ortMs = 0;
  const restore = timeOrtRuns(ort, (t) => {
    ortMs += t;
  });
  let ms: number;
  let out: { tolist(): bigint[][] };
  try {
    const t0 = performance.now();
    out = (await gen(o.tokens)) as unknown as { tolist(): bigint[][] };
    ms = performance.now() - t0;
  } finally {
    restore();
  }
  if (ortMs === 0) throw new Error('transformers.js ran no InferenceSession.run of the page\'s onnxruntime-web: its ORT time cannot be measured');
  const all = out.tolist()[0]!.map(Number);
  const tokens = all.slice(inputs.input_ids.dims[1]);
  await model.dispose();
  const n = tokens.length;
  return { tokens, newTokens: n, tokensPerSecond: (1000 * n) / ms, ortMsPerToken: ortMs / n, runMsPerToken: ms / n };
}

/** Expose the decode benchmarks to the driver (scripts/bench.ts). */
export function registerDecodeBench(): void {
  (window as unknown as { benchDecode: unknown }).benchDecode = { ours: benchOurs, transformers: benchTransformers, strategies };
}
