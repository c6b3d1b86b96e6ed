/** `window.logitscope`: the scripting API (tests, benchmarks, the console). */
import type { LogitscopeApi } from './logitscope-api';
import type { RunController } from './run-controller';
import type { AppStore } from './store';
import type { WorkerClient } from './worker-client';

/** Installs `window.logitscope`. */
export function installLogitscopeGlobal(
  controller: RunController,
  store: AppStore,
  client: Pick<WorkerClient, 'gpuStats' | 'cachedModels' | 'debugLoseDevice'>,
): LogitscopeApi {
  const api: LogitscopeApi = {
    run: (options) => controller.startRun(options),
    measureBackends: (options) => {
      if (options) store.getState().runOptionsApplied(options);
      return controller.measureBackends();
    },
    exportRun: () => {
      const record = store.getState().lastRecord;
      return record ? structuredClone(record) : null;
    },
    gpuStats: () => client.gpuStats(),
    cachedModels: () => client.cachedModels(),
    ...(import.meta.env.LOGITSCOPE_TEST_HOOKS ? { debug: { loseDevice: () => client.debugLoseDevice() } } : {}),
  };
  window.logitscope = api;
  return api;
}
