/** `window.logitscope`: the scripting API (tests, benchmarks, the console). */
import type { CachedModel, GpuStats, RunRecord, RunRequest } from '../protocol';
import type { RunController } from './run-controller';
import type { AppStore } from './store';
import type { WorkerClient } from './worker-client';

/** The API on `window.logitscope`. */
export interface LogitscopeApi {
  /**
   * Merges `options` over the current form (the UI shows them), runs exactly like the Generate
   * button, and resolves to the run record. Rejects on invalid input (messages also shown inline),
   * on a worker error (`[code] message`), or when a run is already in progress.
   */
  run(options?: Partial<RunRequest>): Promise<RunRecord>;
  /** A copy of the last finished run's record, or null before the first one. */
  exportRun(): RunRecord | null;
  /** Live GPU buffers the worker holds (count, bytes, buffers ever tracked): flat across runs. */
  gpuStats(): Promise<GpuStats>;
  /** Model folders in the browser cache. */
  cachedModels(): Promise<CachedModel[]>;
  /** Test hooks. `loseDevice()` destroys the worker's GPUDevice (false when none exists yet). */
  debug: { loseDevice(): Promise<boolean> };
}

declare global {
  interface Window {
    logitscope: LogitscopeApi;
  }
}

/** Installs `window.logitscope`. */
export function installLogitscopeGlobal(
  controller: RunController,
  store: AppStore,
  client: Pick<WorkerClient, 'gpuStats' | 'cachedModels' | 'debugLoseDevice'>,
): LogitscopeApi {
  const api: LogitscopeApi = {
    run: (options) => controller.startRun(options),
    exportRun: () => {
      const record = store.getState().lastRecord;
      return record ? structuredClone(record) : null;
    },
    gpuStats: () => client.gpuStats(),
    cachedModels: () => client.cachedModels(),
    debug: { loseDevice: () => client.debugLoseDevice() },
  };
  window.logitscope = api;
  return api;
}
