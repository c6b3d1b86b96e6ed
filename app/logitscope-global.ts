/** `window.logitscope`: the scripting API (tests, benchmarks, the console). */
import { LESSONS } from './lessons';
import type { LogitscopeApi } from './logitscope-api';
import type { RunController } from './run-controller';
import type { AppStore } from './store';
import type { WorkerClient } from './worker-client';

/** Installs `window.logitscope`. */
export function installLogitscopeGlobal(
  controller: RunController,
  store: AppStore,
  client: Pick<WorkerClient, 'gpuStats' | 'cachedModels' | 'loadedModels' | 'debugLoseDevice' | 'debugBlockWorker' | 'restart'>,
): LogitscopeApi {
  const api: LogitscopeApi = {
    run: (options) => controller.startRun(options),
    step: () => controller.step(),
    pause: () => controller.pauseRun(),
    resume: () => controller.resumeRun(),
    measureBackends: (options) => {
      if (options) store.getState().runOptionsApplied(options);
      return controller.measureBackends();
    },
    exportRun: () => {
      const { lastRecord: record, lastRecordStale: stale } = store.getState();
      return record && !stale ? structuredClone(record) : null;
    },
    gpuStats: () => client.gpuStats(),
    cachedModels: () => client.cachedModels(),
    lessons: () => LESSONS.map((l) => ({ id: l.id, title: l.title })),
    loadedModels: () => client.loadedModels(),
    ...(import.meta.env.LOGITSCOPE_TEST_HOOKS ? { debug: { loseDevice: () => client.debugLoseDevice(), blockWorker: (ms: number) => client.debugBlockWorker(ms), restartWorker: () => client.restart() } } : {}),
  };
  window.logitscope = api;
  return api;
}
