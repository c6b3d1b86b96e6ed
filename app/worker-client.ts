/**
 * The one owner of the decode worker. Calls are queued (one at a time, in order) except
 * `interrupt()`, which must overtake the run it stops. If the worker dies (script fails to load,
 * uncaught error), every call in flight is rejected with an `[internal]` error (`[app-updated]` when
 * the page's own files are gone from the server) and the next call starts a fresh worker.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { APP_UPDATED_MESSAGE, runtimeFileGone } from '../protocol';
import type { BackendMeasurement, CachedModel, Dtype, GpuStats, Llama2cImportInfo, LocalFile, LocalFolderInfo, LogitscopeWorkerApi, PromptTokens, RunRecord, RunRequest, StepEntry, WarmResult, WorkerEvents } from '../protocol';
import type { Catalog } from './validation';

interface Connection {
  worker: Worker;
  api: Remote<LogitscopeWorkerApi>;
  /** Rejects when the worker dies; never resolves. */
  died: Promise<never>;
  /** Rejects `died` with `error` (the worker is being terminated). */
  kill(error: Error): void;
  /** Local folders registered in this worker (replayed into a fresh one). */
  registered: Set<string>;
}

/** Registers one local model (a picked folder or an imported checkpoint) in a worker. */
type LocalModelReplay = (api: Remote<LogitscopeWorkerApi>) => Promise<unknown>;

async function describeWorkerFailure(ev: Event): Promise<string> {
  if (ev instanceof ErrorEvent && ev.message) return `[internal] The decode worker stopped: ${ev.message}`;
  // No message: the script did not load. After a deploy under this open page the page's own hashed
  // chunks are gone from the server too (Vite names the worker only inline in `new Worker`).
  if (await runtimeFileGone(import.meta.url)) return `[app-updated] ${APP_UPDATED_MESSAGE}`;
  return '[internal] The decode worker stopped: the worker script could not be loaded or crashed';
}

/** Client of `LogitscopeWorkerApi` (see protocol/api.ts). */
export class WorkerClient {
  private connection: Connection | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * Local models made in this page (picked folders, imported llama2.c checkpoints), by name, kept so
   * that a restarted worker can register them again; the latest registration of a name wins.
   */
  private readonly localModels = new Map<string, LocalModelReplay>();

  /** Built-in models, strategies and limits. */
  catalog(): Promise<Catalog> {
    return this.enqueue((api) => api.catalog());
  }

  /** Runs a request (`paused`: in step mode, waiting for `step`); `events` is passed to the worker as a comlink proxy. */
  run(request: RunRequest, events: WorkerEvents, paused = false): Promise<RunRecord> {
    return this.enqueue((api) => api.run(request, proxy(events), { paused }));
  }

  /** Step mode: pause the run in progress; not queued (it overtakes the run). False when none runs. */
  async pause(): Promise<boolean> {
    const c = this.connection;
    if (!c) return false;
    return Promise.race([c.api.pause(), c.died]);
  }

  /** Step mode: let a paused run go on; not queued. False when none runs. */
  async resume(): Promise<boolean> {
    const c = this.connection;
    if (!c) return false;
    return Promise.race([c.api.resume(), c.died]);
  }

  /** Step mode: one round of the run in progress (every active panel one step); not queued. Null when none runs. */
  async step(): Promise<StepEntry[] | null> {
    const c = this.connection;
    if (!c) return null;
    return Promise.race([c.api.step(), c.died]);
  }

  /** Times `model` on both backends (the measurement `backend=auto` decides on). */
  measureBackends(model: string, dtype: Dtype | null, events: Pick<WorkerEvents, 'progress'>): Promise<BackendMeasurement> {
    return this.enqueue((api) => api.measureBackends(model, dtype, proxy(events)));
  }

  /** Compiles the WebGPU pipelines of the request's models ahead of the first Generate. */
  warm(request: Pick<RunRequest, 'model' | 'draft' | 'dtype' | 'backend' | 'backendMeasurements'>, events: Pick<WorkerEvents, 'progress'>): Promise<WarmResult | null> {
    return this.enqueue((api) => api.warm(request, proxy(events)));
  }

  /** Cooperative stop of the current run; not queued (it has to overtake the run). */
  async interrupt(): Promise<void> {
    const c = this.connection;
    if (!c) return;
    await Promise.race([c.api.interrupt(), c.died]);
  }

  /** Drops every model session and GPU buffer in the worker (after a device loss). */
  unloadAll(): Promise<void> {
    return this.enqueue((api) => api.unloadAll());
  }

  /** Makes a picked folder loadable as `local:<name>` (also in any worker started later). */
  registerLocalFolder(name: string, files: LocalFile[]): Promise<LocalFolderInfo> {
    return this.enqueue(async (api, c) => {
      const info = await api.registerLocalFolder(name, files);
      this.localModels.set(name, (a) => a.registerLocalFolder(name, files));
      c.registered.add(name);
      return info;
    });
  }

  /** Converts a llama2.c checkpoint + tokenizer.bin in the worker into `local:<name>` (also in any worker started later). */
  importLlama2c(name: string, model: Blob, tokenizer: Blob): Promise<Llama2cImportInfo> {
    return this.enqueue(async (api, c) => {
      const info = await api.importLlama2c(name, model, tokenizer);
      this.localModels.set(name, (a) => a.importLlama2c(name, model, tokenizer));
      c.registered.add(name);
      return info;
    });
  }

  /**
   * The prompt as `model`'s tokens. It overtakes the queue once a worker exists (it reads only
   * tokenizer files, which a run never touches), so the prompt's token view keeps up during a run.
   */
  tokenize(model: string, text: string, chatTemplate: boolean): Promise<PromptTokens> {
    const c = this.connection;
    if (!c) return this.enqueue((api) => api.tokenize(model, text, chatTemplate));
    return Promise.race([c.api.tokenize(model, text, chatTemplate), c.died]);
  }

  /** Model folders in the browser cache. */
  cachedModels(): Promise<CachedModel[]> {
    return this.enqueue((api) => api.cachedModels());
  }

  /** Deletes a cached model folder; resolves to the number of files removed. */
  deleteCachedModel(base: string): Promise<number> {
    return this.enqueue((api) => api.deleteCachedModel(base));
  }

  /** Keys of the loaded model sessions. */
  loadedModels(): Promise<string[]> {
    return this.enqueue((api) => api.loadedModels());
  }

  /** Live GPU buffers held by the worker. */
  gpuStats(): Promise<GpuStats> {
    return this.enqueue((api) => api.gpuStats());
  }

  /** Test hook: destroy the worker's GPU device; not queued, so it can hit a run in progress (false with no worker). */
  async debugLoseDevice(): Promise<boolean> {
    const c = this.connection;
    if (!c) return false;
    return Promise.race([c.api.debugLoseDevice(), c.died]);
  }

  /**
   * Ends the worker and starts a fresh one (a new ORT and GPUDevice): the recovery from a device
   * loss. Picked local folders are registered again in the new worker.
   */
  restart(): Promise<void> {
    const result = this.tail.then(() => this.dispose());
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Terminates the worker now, even in the middle of a call (a worker that does not answer Stop):
   * calls in flight reject with `message`; the next call starts a fresh worker.
   */
  terminate(message: string): void {
    this.connection?.kill(new Error(message));
    this.dispose();
  }

  /** Test hook: keep the worker thread busy for `ms` (a step that never yields); not queued. */
  async debugBlockWorker(ms: number): Promise<boolean> {
    const c = this.connection;
    if (!c) return false;
    return Promise.race([c.api.debugBlock(ms), c.died]);
  }

  /** Terminates the worker; the next call starts a new one. */
  dispose(): void {
    this.connection?.worker.terminate();
    this.connection = null;
  }

  private connect(): Connection {
    if (this.connection) return this.connection;
    const worker = new Worker(new URL('../workers/decode.worker.ts', import.meta.url), {
      type: 'module',
      name: 'logitscope-decode',
    });
    let fail: (e: Error) => void = () => undefined;
    const died = new Promise<never>((_, reject) => {
      fail = reject;
    });
    died.catch(() => undefined);
    const onDeath = (ev: Event) => {
      if (this.connection?.worker === worker) this.dispose();
      void describeWorkerFailure(ev).then((message) => fail(new Error(message)));
    };
    worker.addEventListener('error', onDeath);
    worker.addEventListener('messageerror', onDeath);
    this.connection = { worker, api: wrap<LogitscopeWorkerApi>(worker), died, kill: (e) => fail(e), registered: new Set() };
    return this.connection;
  }

  /** Registers in `c` the local models a previous worker had. */
  private async replayFolders(c: Connection): Promise<void> {
    for (const [name, replay] of this.localModels) {
      if (c.registered.has(name)) continue;
      await replay(c.api);
      c.registered.add(name);
    }
  }

  private enqueue<T>(call: (api: Remote<LogitscopeWorkerApi>, c: Connection) => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      const c = this.connect();
      return Promise.race([this.replayFolders(c).then(() => call(c.api, c)), c.died]);
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
