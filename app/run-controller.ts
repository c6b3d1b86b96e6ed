/**
 * Drives runs: the Generate button, Stop, "Reload model" and `window.logitscope.run` all go
 * through here, so the UI shows every run the same way. Talks to the worker through
 * `WorkerClient` and reports what happens to the store as events.
 */
import { adapterKey, decideBackend, type BackendMeasurement, type DeviceInfo, type RunRecord, type RunRequest, type WorkerEvents } from '../protocol';
import { storeMeasurement } from './backend-store';
import type { AppStore } from './store';
import { validateRunForm, type Catalog, type RunForm, type ValidationIssue } from './validation';
import type { WorkerClient } from './worker-client';
import { formatUiError, parseWorkerError } from './worker-error';

/** Thrown when the form is invalid; the messages are also shown inline. */
export class ValidationError extends Error {
  constructor(readonly errors: ValidationIssue[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'ValidationError';
  }
}

/** What the UI can ask for. */
export interface RunController {
  /** Fetches the catalog once (retried on the next call after a failure); null if it failed. */
  loadCatalog(): Promise<Catalog | null>;
  /** Applies `overrides` to the form, validates it, runs it; resolves to the run record. */
  startRun(overrides?: Partial<RunRequest>): Promise<RunRecord>;
  /** Asks the worker to stop the current run (it resolves with finishReason 'stopped'). */
  stopRun(): Promise<void>;
  /** After a device loss: restart the worker (or drop its models), then run the last request again. */
  reloadModel(): Promise<RunRecord>;
  /**
   * Times the form's model on both backends (also on a software adapter), stores the measurement
   * for `backend=auto` and resolves to it. Refused while a run is in progress.
   */
  measureBackends(): Promise<BackendMeasurement>;
  /**
   * When the form's models would run on WebGPU and are built in (warming never downloads), compile
   * their pipelines in the background before the first Generate, once per models and dtype; the
   * store shows it. Never throws (a failure is shown); a Generate meanwhile waits for it.
   */
  warm(): Promise<void>;
}

function formOf(s: RunForm): RunForm {
  const { prompt, model, draft, dtype, backend, maxNewTokens, seed, panels, chatTemplate } = s;
  return { prompt, model, draft, dtype, backend, maxNewTokens, seed, panels, chatTemplate };
}

/** The part of `WorkerClient` the controller uses (`restart` is preferred over `unloadAll` after a device loss). */
export type WorkerPort = Pick<WorkerClient, 'catalog' | 'run' | 'interrupt' | 'unloadAll'> & Partial<Pick<WorkerClient, 'restart' | 'measureBackends' | 'warm'>>;

/** Builds the controller over one worker client and the app store. */
export function createRunController(client: WorkerPort, store: AppStore): RunController {
  let catalogLoad: Promise<Catalog | null> | null = null;
  let busy = false;
  let nextRunId = 1;
  /** Models (`a+b|dtype`) whose WebGPU pipelines a warm-up or a WebGPU run has compiled. */
  const warmed = new Set<string>();
  const warmKey = (r: Pick<RunRequest, 'model' | 'draft' | 'dtype'>) => `${[r.model, r.draft].filter(Boolean).join('+')}|${r.dtype ?? 'auto'}`;

  const loadCatalog = (): Promise<Catalog | null> => {
    const known = store.getState().catalog;
    if (known) return Promise.resolve(known);
    catalogLoad ??= client.catalog().then(
      (catalog) => {
        store.getState().catalogReceived(catalog);
        return catalog;
      },
      (err: unknown) => {
        catalogLoad = null;
        const e = parseWorkerError(err);
        store.getState().catalogFailed({ code: e.code, message: `Could not load the model catalog: ${e.message}` });
        return null;
      },
    );
    return catalogLoad;
  };

  // Keep a measurement the worker made for `auto`, so the next load of the model does not time again.
  const keep = (m: BackendMeasurement) => store.getState().measurementReceived(m, storeMeasurement(m));
  const deviceSeen = (runId: number, d: DeviceInfo) => {
    store.getState().deviceReceived(runId, d);
    const m = d.decision.measurement;
    if (m && !d.decision.measuring && !store.getState().measurements.some((o) => o.measuredAt === m.measuredAt && o.adapter === m.adapter && o.model === m.model && o.dtype === m.dtype)) keep(m);
  };

  const execute = async (form: RunRequest): Promise<RunRecord> => {
    const runId = nextRunId++;
    const s = store.getState();
    const stored = s.measurements.filter((m) => m.model === form.model);
    const request: RunRequest = (form.backend ?? 'auto') === 'auto' && stored.length > 0 ? { ...form, backendMeasurements: stored } : form;
    s.runRequested(runId, request);
    const events: WorkerEvents = {
      progress: (p) => store.getState().progressReceived(runId, p),
      device: (d) => deviceSeen(runId, d),
      steps: (evs) => store.getState().stepsReceived(runId, evs),
      state: (st) => store.getState().workerStateChanged(runId, st),
    };
    try {
      const record = await client.run(request, events);
      if (record.model.backend === 'webgpu') warmed.add(warmKey(request));
      store.getState().runFinished(runId, record);
      return record;
    } catch (err) {
      const e = parseWorkerError(err);
      store.getState().runFailed(runId, e);
      throw new Error(formatUiError(e));
    }
  };

  // One run at a time: a second request while one is in flight is refused, not queued.
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    if (busy) throw new Error('A run is already in progress; stop it first');
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };

  return {
    loadCatalog,
    startRun: (overrides) =>
      exclusive(async () => {
        if (overrides) store.getState().runOptionsApplied(overrides);
        const catalog = await loadCatalog();
        const check = validateRunForm(formOf(store.getState()), catalog);
        if (!check.ok) {
          store.getState().validationFailed(check.errors);
          throw new ValidationError(check.errors);
        }
        return execute(check.request);
      }),
    stopRun: async () => {
      if (store.getState().activeRunId === null) return;
      store.getState().runStopped();
      await client.interrupt();
    },
    reloadModel: () =>
      exclusive(async () => {
        const request = store.getState().lastRequest;
        if (!request) throw new Error('There is no run to repeat');
        try {
          // A fresh worker brings a fresh ORT and GPUDevice: the reliable recovery from a device loss.
          if (client.restart) await client.restart();
          else await client.unloadAll();
        } catch (err) {
          // The device is already gone in the worker; unloading is best effort before the rerun.
          console.warn('unloadAll failed', err);
        }
        return execute(request);
      }),
    warm: async () => {
      if (!client.warm) return;
      const catalog = await loadCatalog();
      const s = store.getState();
      const probe = s.adapterProbe;
      if (s.activeRunId !== null || probe === null || typeof probe === 'string') return;
      const check = validateRunForm(formOf(s), catalog);
      if (!check.ok) return;
      const r = check.request;
      const models = r.draft ? [r.model, r.draft] : [r.model];
      if (!models.every((m) => m.startsWith('builtin:')) || warmed.has(warmKey(r))) return;
      const stored = s.measurements.filter((m) => m.model === r.model);
      const mine = stored.find((m) => m.dtype === (r.dtype ?? 'auto') && m.adapter === adapterKey(probe)) ?? null;
      const outcome = decideBackend({ requested: r.backend ?? 'auto', adapter: probe, measurement: mine });
      if (outcome.measure || outcome.backend !== 'webgpu') return;
      warmed.add(warmKey(r));
      store.getState().warmChanged({ state: 'running', models });
      try {
        const result = await client.warm({ model: r.model, draft: r.draft ?? null, ...(r.dtype && { dtype: r.dtype }), backend: r.backend ?? 'auto', backendMeasurements: stored }, { progress: () => undefined });
        store.getState().warmChanged(result ? { state: 'done', models: result.models, ms: result.ms } : null);
      } catch (err) {
        warmed.delete(warmKey(r));
        store.getState().warmChanged({ state: 'failed', models, message: formatUiError(parseWorkerError(err)) });
      }
    },
    measureBackends: () =>
      exclusive(async () => {
        const catalog = await loadCatalog();
        const check = validateRunForm(formOf(store.getState()), catalog);
        if (!check.ok) {
          store.getState().validationFailed(check.errors);
          throw new ValidationError(check.errors);
        }
        if (!client.measureBackends) throw new Error('This worker cannot time backends');
        const { model, dtype } = check.request;
        store.getState().backendTimingStarted(model);
        try {
          const m = await client.measureBackends(model, dtype ?? null, { progress: () => undefined });
          keep(m);
          return m;
        } catch (err) {
          const e = parseWorkerError(err);
          store.getState().backendTimingFailed(`Timing the backends of ${model} failed: ${formatUiError(e)}`);
          throw new Error(formatUiError(e));
        }
      }),
  };
}
