/**
 * Types only: no runtime code lives here. The contract between the UI (main thread) and the decode worker. `app/` imports only types from
 * here (`import type`); the worker implements `LogitscopeWorkerApi` and exposes it with comlink.
 * The run record shape is documented in docs/run-format.md; URL state in docs/url.md.
 */

/** Execution backend: WebGPU EP + WGSL kernels, or the WASM EP + CPU reference kernels. */
export type Backend = 'webgpu' | 'wasm';

/** ONNX weight variants as laid out on the Hub (`onnx/model.onnx`, `onnx/model_q4.onnx`, ...). */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

/** Lifecycle of the app root's `data-run-state` attribute. */
export type RunState = 'idle' | 'loading' | 'running' | 'done' | 'error';

/** Why a panel stopped generating. */
export type FinishReason = 'eos' | 'max' | 'stopped' | 'error';

/** A strategy parameter value as it travels in URLs and run records. */
export type ParamValue = number | string | boolean;

/** One panel of a run: a registered strategy id and its parameters (missing ones take defaults). */
export interface PanelSpec {
  strategy: string;
  params: Record<string, ParamValue>;
}

/** Limits enforced at the boundary (worker validates; the UI gets them from `catalog()`). */
export interface Limits {
  maxNewTokensMin: number;
  maxNewTokensMax: number;
  maxPromptChars: number;
  maxPanels: number;
}

/** What the UI asks the worker to do. */
export interface RunRequest {
  /** Prompt text; must contain at least one non-whitespace character. */
  prompt: string;
  /**
   * `builtin:<name>`, a Hub id `org/name`, a model folder URL (`/path` or `https://...`), or
   * `local:<name>` for a folder registered with `registerLocalFolder` (never shareable by URL).
   */
  model: string;
  /** Second model (draft / amateur) for strategies that need one. */
  draft?: string | null;
  dtype?: Dtype;
  /** Requested backend; the worker falls back to wasm (and says why) when WebGPU is missing. */
  backend?: Backend;
  /** New tokens per panel, in [Limits.maxNewTokensMin, Limits.maxNewTokensMax]. */
  maxNewTokens: number;
  /** Seed of the PRNG every random draw goes through. Non-negative integer. */
  seed: number;
  panels: PanelSpec[];
  /** Apply the tokenizer's chat template to the prompt (off: plain encode with BOS). */
  chatTemplate?: boolean;
}

/** One alternative in a token's top list. Probabilities are the base model's raw softmax. */
export interface TopEntry {
  id: number;
  text: string;
  prob: number;
}

/**
 * One emitted token. `prob`, `logprob` (nats) and `entropy` (nats) are those of the base
 * (target/expert) model's raw softmax at that position: temperature 1, no processors.
 */
export interface TokenRecord {
  id: number;
  text: string;
  prob: number;
  logprob: number;
  entropy: number;
  /** At least 10 entries, sorted by probability descending, ties to the lower id. */
  top: TopEntry[];
  /** Strategy-specific detail at this step (JSON-serialisable). */
  annotations: Record<string, unknown>;
}

/** Per-panel counters. Times in milliseconds. */
export interface PanelStats {
  newTokens: number;
  targetForwards: number;
  draftForwards: number;
  wallMs: number;
  tokensPerSecond: number;
  /** Bytes read back from the GPU (or copied out of the CPU logits) by the decode loop. */
  readbackBytes: number;
  finishReason: FinishReason | null;
  /** Time from the start of the panel to its first emitted token; null before it. */
  timeToFirstTokenMs: number | null;
}

/** A panel's part of the run record. */
export interface PanelRecord {
  strategy: string;
  params: Record<string, ParamValue>;
  text: string;
  tokens: TokenRecord[];
  stats: PanelStats;
  /** Set when this panel failed; the other panels keep running. */
  error?: string;
}

/** Model facts recorded with a run. */
export interface ModelRecord {
  source: string;
  /** Logit row width the model produces (lm_head rows, may include padded rows). */
  vocabSize: number;
  /** Ids the tokenizer defines; rows at or beyond this are masked. */
  tokenizerVocabSize: number;
  dtype: Dtype;
  backend: Backend;
}

/** The exported run (docs/run-format.md), version 1. */
export interface RunRecord {
  format: 'logitscope-run';
  version: 1;
  prompt: string;
  promptTokens: number[];
  model: ModelRecord;
  draft: ModelRecord | null;
  seed: number;
  maxNewTokens: number;
  createdAt: string;
  panels: PanelRecord[];
}

/** Streamed to the UI: new tokens for one panel plus its counters so far. */
export interface StepEvent {
  panel: number;
  tokens: TokenRecord[];
  stats: PanelStats;
}

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
  /** Why the WASM EP is used when WebGPU was requested (no navigator.gpu, no adapter, ...). */
  fallbackReason: string | null;
}

/** A model the picker offers without typing (built-in test models). */
export interface ModelListEntry {
  id: string;
  label: string;
  description: string;
  /** Suggested second model (draft / amateur) sharing the tokenizer. */
  pairedWith: string | null;
}

/** Parameter schema entry for a strategy (drives UI controls and validation). */
export interface ParamSchema {
  name: string;
  label: string;
  /** `text`: free text (the UI renders a textarea), at most `maxLength` characters. */
  type: 'number' | 'integer' | 'boolean' | 'enum' | 'text';
  default: ParamValue;
  min?: number;
  max?: number;
  options?: string[];
  /** Longest accepted value of a `text` parameter, in characters. */
  maxLength?: number;
  help: string;
}

/** Strategy metadata for the UI. */
export interface StrategyInfo {
  id: string;
  label: string;
  description: string;
  needsDraft: boolean;
  /**
   * Needs a model exporting `last_hidden_state` (contrastive search). Models without it refuse the
   * panel with a reason; the UI may disable the strategy for such models, `description` says why.
   */
  needsHiddenState?: boolean;
  /** True where the method is our reading of an incompletely published paper. */
  interpretation: boolean;
  params: ParamSchema[];
}

/** Callbacks the UI passes (wrapped with comlink.proxy). */
export interface WorkerEvents {
  progress(p: LoadProgress): void;
  device(info: DeviceInfo): void;
  steps(events: StepEvent[]): void;
  /** Run state changes inside the worker: 'loading' while models load, 'running' after. */
  state(s: 'loading' | 'running'): void;
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
  | 'internal';

/** The worker API exposed through comlink. */
export interface LogitscopeWorkerApi {
  /** Built-in models, curated Hub models (workers/model/catalog.ts) and the strategy registry, for the pickers. */
  catalog(): Promise<{ models: ModelListEntry[]; strategies: StrategyInfo[]; limits: Limits; hub?: HubModelEntry[] }>;
  /** Run a request to completion (or Stop); streams steps through `events`. */
  run(request: RunRequest, events: WorkerEvents): Promise<RunRecord>;
  /** Cooperative stop: every panel ends within one step with finishReason 'stopped'. */
  interrupt(): Promise<void>;
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
  /** Keys (`model|dtype|backend`) of the model sessions currently loaded. */
  loadedModels(): Promise<string[]>;
  /** Live GPU buffers we hold (kernel scratch, KV copies, ORT outputs not yet disposed). */
  gpuStats(): Promise<GpuStats>;
  /** Test hook (test/bench builds only, else resolves false): destroy ORT's GPUDevice (simulates a device loss). Resolves true when there was one. */
  debugLoseDevice(): Promise<boolean>;
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
}
