/**
 * The comlink API between the UI (main thread) and the decode worker: the worker implements
 * `LogitscopeWorkerApi`; the UI calls it through app/worker-client.ts. Types only.
 */
import type { AdapterFacts, BackendDecision, BackendMeasurement } from './backend-choice';
import type { Backend, Dtype, Limits } from './constants';
import type { StrategyInfo } from './params';
import type { StepEntry } from './lab';
import type { RunRecord, StepEvent } from './record';
import type { RunRequest } from './request';

/** Model loading progress (bytes of the file being fetched and of all files). */
export interface LoadProgress {
  model: string;
  file: string;
  status: 'fetching' | 'cached' | 'done' | 'compiling';
  fileLoaded: number;
  fileTotal: number;
  filesDone: number;
  filesTotal: number;
  loaded: number;
  total: number;
  /** 0..100, or null when totals are unknown. */
  percent: number | null;
  /** Every file of the model met so far, in fetch order (the download table). */
  files?: FileProgress[];
  /** Network rate over the last few seconds (bytes/s); null when nothing is being downloaded. */
  bytesPerSecond?: number | null;
}

/** Download state of one model file. `total` is null until the server sends a length. */
export interface FileProgress {
  name: string;
  loaded: number;
  total: number | null;
  status: 'fetching' | 'cached' | 'done';
}

/** Which device runs the models. */
export interface DeviceInfo {
  backend: Backend;
  /** WebGPU adapter facts when backend is webgpu. */
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  shaderF16: boolean;
  /** Why the WASM EP is used (auto's reason, no navigator.gpu, no adapter, WASM selected, ...). */
  fallbackReason: string | null;
  /** The backend decision: what was requested, what runs, and why. */
  decision: BackendDecision;
  /** The adapter facts `auto` decides on (also when WASM runs); null without an adapter. */
  probed?: AdapterFacts | null;
}

/** A model the picker offers without typing (built-in test models). */
export interface ModelListEntry {
  id: string;
  label: string;
  description: string;
  /** Suggested second model (draft / amateur) sharing the tokenizer. */
  pairedWith: string | null;
}

/** Callbacks the UI passes (wrapped with comlink.proxy). */
export interface WorkerEvents {
  progress(p: LoadProgress): void;
  device(info: DeviceInfo): void;
  steps(events: StepEvent[]): void;
  /** Run state changes inside the worker: 'loading' while models load, 'running' after. */
  state(s: 'loading' | 'running'): void;
  /**
   * Sent just before `run` rejects when the run failed after decoding started (device lost, out of
   * memory): the record of what was produced, with `partial` set (docs/run-format.md).
   */
  partial?(record: RunRecord): void;
  /**
   * Sent once decoding starts: the run's record with no tokens yet (prompt ids, model facts, panel
   * settings). A worker that has to be terminated cannot send `partial`; the page then builds the
   * partial record from this and the tokens it was shown.
   */
  started?(record: RunRecord): void;
}

/** Error codes: worker errors reach the UI as Error messages of the form `[code] message`. */
export type ErrorCode =
  | 'bad-request'
  | 'model-not-found'
  | 'model-invalid'
  | 'pair-mismatch'
  | 'device-lost'
  | 'out-of-memory'
  | 'cancelled'
  /** The app's own runtime files (ORT wasm, worker script) are gone: a new version was deployed under an open page. */
  | 'app-updated'
  | 'internal';

/** The worker API exposed through comlink. */
export interface LogitscopeWorkerApi {
  /** Built-in models, curated Hub models (workers/model/catalog.ts) and the strategy registry, for the pickers. */
  catalog(): Promise<{ models: ModelListEntry[]; strategies: StrategyInfo[]; limits: Limits; hub?: HubModelEntry[] }>;
  /**
   * Run a request to completion (or Stop); streams steps through `events`. `pace.paused`: start in
   * step mode (the models load and the prompt is encoded, then the run waits for `step` or `resume`).
   */
  run(request: RunRequest, events: WorkerEvents, pace?: { paused: boolean }): Promise<RunRecord>;
  /** Cooperative stop: every panel ends within one step with finishReason 'stopped'. */
  interrupt(): Promise<void>;
  /**
   * Step mode (docs/step-mode.md): pause the run in progress after the round under way; resolves to
   * false when no run is in progress.
   */
  pause(): Promise<boolean>;
  /** Let a paused run go on straight through; false when no run is in progress. */
  resume(): Promise<boolean>;
  /**
   * Pause (if running) and advance every active panel by one step, recording the logit lab of each;
   * resolves to the round's entries when it ends (its events were sent first), or null when no run is
   * in progress or the run ended before the round.
   */
  step(): Promise<StepEntry[] | null>;
  /** Drop every loaded model session and GPU buffer (used after a device loss). */
  unloadAll(): Promise<void>;
  /** Make a folder picked or dropped by the user loadable as `local:<name>`; files keep their relative paths. */
  registerLocalFolder(name: string, files: LocalFile[]): Promise<LocalFolderInfo>;
  /**
   * Convert a llama2.c checkpoint (legacy v0 `.bin`) and its `tokenizer.bin` into a model folder
   * (transformers.js layout, fp32 ONNX) registered as `local:<name>`, replacing any folder of that
   * name. Rejects with `[bad-request]` (missing file, bad name, over the size limits) or
   * `[model-invalid]` (not a checkpoint / tokenizer), naming the file.
   */
  importLlama2c(name: string, model: Blob, tokenizer: Blob): Promise<Llama2cImportInfo>;
  /** Model folders whose files are in the browser cache ("models on this device"). */
  cachedModels(): Promise<CachedModel[]>;
  /** Delete every cached file of the model folder `base` (a `CachedModel.base`); resolves to the files removed. */
  deleteCachedModel(base: string): Promise<number>;
  /**
   * Time the prefill and a few greedy steps of `model` on both backends (even on a software
   * adapter) and resolve to the measurement, which the UI stores for `auto`. Refused while a run is
   * in progress.
   */
  measureBackends(model: string, dtype: Dtype | null, events: Pick<WorkerEvents, 'progress'>): Promise<BackendMeasurement>;
  /**
   * Load the request's model (and draft) on the backend it would run on and, when that is WebGPU,
   * run one short prefill and greedy steps so that its shader pipelines are compiled before the
   * first Generate. Resolves to what was warmed, or null when nothing needed it (WASM, or `auto`
   * still to be measured); never measures. Refused while a run is in progress.
   */
  warm(request: Pick<RunRequest, 'model' | 'draft' | 'dtype' | 'backend' | 'backendMeasurements'>, events: Pick<WorkerEvents, 'progress'>): Promise<WarmResult | null>;
  /**
   * The prompt as `model`'s tokenizer encodes it for a run (BOS included where the tokenizer adds
   * it; the chat template when `chatTemplate`), with each token's text. Reads only the model's
   * config and tokenizer files, never its graph; allowed while a run is in progress.
   */
  tokenize(model: string, text: string, chatTemplate: boolean): Promise<PromptTokens>;
  /** Keys (`model|dtype|backend`) of the model sessions currently loaded. */
  loadedModels(): Promise<string[]>;
  /** Live GPU buffers we hold (kernel scratch, KV copies, ORT outputs not yet disposed). */
  gpuStats(): Promise<GpuStats>;
  /** Test hook (test/bench builds only, else resolves false): destroy ORT's GPUDevice (simulates a device loss). Resolves true when there was one. */
  debugLoseDevice(): Promise<boolean>;
  /** Test hook (test/bench builds only, else resolves false): block the worker thread for `ms` (a step that never yields). */
  debugBlock(ms: number): Promise<boolean>;
}

/** A prompt as a model's tokens (`tokenize`): parallel `ids` and `texts`. */
export interface PromptTokens {
  ids: number[];
  /** Each token's text as the stream would show it (decoded after the tokens before it). */
  texts: string[];
  /** The model's context length in tokens (config.json); null when the config names none. */
  context: number | null;
}

/** What `warm` did: the models whose WebGPU pipelines are now compiled, and how long it took. */
export interface WarmResult {
  models: string[];
  ms: number;
}

/** A curated Hub model the picker offers (workers/model/catalog.ts). */
export interface HubModelEntry {
  /** Hub id `org/name`. */
  id: string;
  label: string;
  description: string;
  /** Family members share a tokenizer; `pairedWith` names the other member of the pair. */
  family: string;
  /** `draft` = the small model of its pair (draft / amateur), `target` = the large one (target / expert). */
  role: 'draft' | 'target';
  pairedWith: string;
  /** Commit the files are pinned to, or `main` when no commit could be verified. */
  revision: string;
  /** Logit row width (lm_head rows; Qwen2.5 pads beyond its tokenizer). */
  vocabSize: number;
  /** Instruct models get their chat template applied by default. */
  instruct: boolean;
  /** Download size of the ONNX weights per dtype in bytes (external data included); null = unknown. */
  sizes: Partial<Record<Dtype, number | null>>;
  /** Where the sizes come from and how exact they are. */
  sizeNote: string;
}

/** One file of a local folder (relative path inside the folder, with `/` separators). */
export interface LocalFile {
  path: string;
  file: Blob;
}

/** What `registerLocalFolder` found. */
export interface LocalFolderInfo {
  /** Spec to load it with: `local:<name>`. */
  spec: string;
  files: number;
  bytes: number;
  /** dtypes with an ONNX file in `onnx/`. */
  dtypes: Dtype[];
}

/** Hyper-parameters read from a llama2.c checkpoint header. */
export interface Llama2cHeader {
  /** Model width (embedding size). */
  dim: number;
  /** Width of the feed-forward layer. */
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  /** Key/value heads (fewer than `nHeads` with grouped-query attention). */
  nKvHeads: number;
  /** Logit row width (tokenizer entries). */
  vocabSize: number;
  /** Longest sequence the model was trained for (tokens). */
  seqLen: number;
  /** True when the output layer reuses the token embedding. */
  sharedClassifier: boolean;
}

/** What `importLlama2c` registered: the local folder plus the converted checkpoint's header. */
export interface Llama2cImportInfo extends LocalFolderInfo {
  header: Llama2cHeader;
}

/** A model folder with files in the browser cache. */
export interface CachedModel {
  /** Folder URL (ends with `/`); pass to `deleteCachedModel`. */
  base: string;
  /** Short name: the Hub id (with revision) or the folder URL. */
  label: string;
  files: number;
  bytes: number;
}

/** Live GPU buffers tracked by the worker. */
export interface GpuStats {
  buffers: number;
  bytes: number;
  /** Buffers ever tracked (shows the tracking sees work). */
  allocations: number;
  /** GPUQueue.submit calls made by the worker so far (ORT and our kernels); test/bench builds only. */
  submits?: number;
  /** The part of `submits` that is ours (kernels, KV-cache copies), the rest is ORT's; test/bench builds only. */
  ourSubmits?: number;
  /** onnxruntime InferenceSession.run calls so far, and the milliseconds they took; test/bench builds only. */
  ortRuns?: number;
  ortRunMs?: number;
}
