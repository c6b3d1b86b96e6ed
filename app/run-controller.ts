/**
 * Drives runs: the Generate button, Stop, "Reload model" and `window.logitscope.run` all go
 * through here, so the UI shows every run the same way. Talks to the worker through
 * `WorkerClient` and reports what happens to the store as events.
 */
import {
  adapterName,
  decideBackend,
  measurementFor,
  isSoftwareAdapter,
  type BackendMeasurement,
  type DeviceInfo,
  type RunRecord,
  type RunRequest,
  type StepEntry,
  type WorkerEvents,
} from '../protocol';
import { storeMeasurement } from './backend-store';
import { blockedByConsent, settleConsent } from './link-consent';
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
  /**
   * Asks the worker to stop the current run (it resolves with finishReason 'stopped'); a run still
   * going STOP_DEADLINE_MS later has its worker terminated and fails with STOP_TIMEOUT_MESSAGE.
   */
  stopRun(): Promise<void>;
  /**
   * Step mode (docs/step-mode.md): advance every panel of the run in progress by one step (pausing
   * it if it runs), or start a run paused and take its first step. Resolves to the round's entries
   * (empty when the run ended before it); rejects like `startRun` on invalid input or a worker error.
   */
  step(): Promise<StepEntry[]>;
  /** A link's `run=1`: the first step in step mode (`mode=step`), else a run like Generate. */
  startLinkRun(): Promise<unknown>;
  /** Pause the run in progress (step mode); nothing when none runs. */
  pauseRun(): Promise<void>;
  /** Let a paused run go on (leaving step mode); with no run in progress, start one like Generate. */
  resumeRun(): Promise<void>;
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
  const { prompt, model, draft, dtype, backend, maxNewTokens, seed, panels, chatTemplate, logitLens } = s;
  return { prompt, model, draft, dtype, backend, maxNewTokens, seed, panels, chatTemplate, logitLens };
}

/**
 * The part of `WorkerClient` the controller uses (`restart` is preferred over `unloadAll` after a
 * device loss; `terminate` ends a worker that does not answer Stop).
 */
export type WorkerPort = Pick<WorkerClient, 'catalog' | 'run' | 'interrupt' | 'unloadAll'> &
  Partial<Pick<WorkerClient, 'restart' | 'terminate' | 'measureBackends' | 'warm' | 'pause' | 'resume' | 'step'>>;

/** How long a run may take to end after Stop before its worker is terminated (ms). */
export const STOP_DEADLINE_MS = 3000;

/** What a run that had to be ended by terminating its worker fails with (the UI shows it). */
export const STOP_TIMEOUT_MESSAGE = `[cancelled] The decode worker did not stop within ${STOP_DEADLINE_MS / 1000} s, so it was restarted. The tokens on screen are kept; the models load again on the next run.`;

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
    if (
      m &&
      !d.decision.measuring &&
      !store.getState().measurements.some((o) => o.measuredAt === m.measuredAt && o.adapter === m.adapter && o.model === m.model && o.dtype === m.dtype)
    )
      keep(m);
  };

  /**
   * Resolves at the worker's first state report of the run in flight (its step gate exists from then
   * on) or when that run ends; null between runs.
   */
  let workerStarted: Promise<void> | null = null;

  const execute = async (form: RunRequest, paused = false, markStarted: () => void = () => undefined): Promise<RunRecord> => {
    const runId = nextRunId++;
    const s = store.getState();
    const stored = s.measurements.filter((m) => m.model === form.model);
    const request: RunRequest = (form.backend ?? 'auto') === 'auto' && stored.length > 0 ? { ...form, backendMeasurements: stored } : form;
    s.runRequested(runId, request);
    let partial: RunRecord | null = null;
    let started: RunRecord | null = null;
    const events: WorkerEvents = {
      progress: (p) => store.getState().progressReceived(runId, p),
      device: (d) => deviceSeen(runId, d),
      steps: (evs) => store.getState().stepsReceived(runId, evs),
      state: (st) => {
        store.getState().workerStateChanged(runId, st);
        markStarted();
      },
      partial: (record) => {
        partial = record;
      },
      started: (record) => {
        started = record;
      },
    };
    try {
      const record = await client.run(request, events, paused);
      if (record.model.backend === 'webgpu') warmed.add(warmKey(request));
      store.getState().runFinished(runId, record);
      return record;
    } catch (err) {
      const e = parseWorkerError(err);
      store.getState().runFailed(runId, e, partial, started);
      throw new Error(formatUiError(e));
    } finally {
      markStarted();
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

  const begin = (overrides: Partial<RunRequest> | undefined, paused: boolean): Promise<RunRecord> => {
    let markStarted = () => undefined as void;
    workerStarted = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const run = exclusive(async () => {
      store.getState().pacingChanged(paused, paused);
      if (overrides) store.getState().runOptionsApplied(overrides);
      const catalog = await loadCatalog();
      const check = validateRunForm(formOf(store.getState()), catalog);
      if (!check.ok) {
        store.getState().validationFailed(check.errors);
        throw new ValidationError(check.errors);
      }
      // A link's model from another host is not fetched before the visitor agrees (scripted runs
      // pass `overrides` and are the page owner's own choice).
      if (!overrides && blockedByConsent(settleConsent(catalog?.hub), check.request.model, check.request.draft ?? null)) {
        const errors: ValidationIssue[] = [
          {
            field: 'model',
            message: 'This link names a model on another site: choose "Allow download" or "Use the built-in model instead" in the notice at the top first.',
          },
        ];
        store.getState().validationFailed(errors);
        throw new ValidationError(errors);
      }
      return execute(check.request, paused, markStarted);
    });
    void run.catch(() => undefined).finally(markStarted);
    return run;
  };

  return {
    loadCatalog,
    startRun: (overrides) => begin(overrides, false),
    step: async () => {
      if (!client.step) throw new Error('This worker cannot step');
      if (store.getState().activeRunId === null) {
        const run = begin(undefined, true);
        run.catch(() => undefined);
        // Invalid input or a failed load rejects here; a run that ends before its first step gives no entries.
        await Promise.race([workerStarted, run]);
      } else {
        store.getState().pacingChanged(true, true);
        await workerStarted;
      }
      return (await client.step()) ?? [];
    },
    startLinkRun() {
      return store.getState().stepMode ? this.step() : this.startRun();
    },
    pauseRun: async () => {
      if (store.getState().activeRunId === null || !client.pause) return;
      store.getState().pacingChanged(true, true);
      await client.pause();
    },
    resumeRun: async () => {
      if (store.getState().activeRunId === null) {
        await begin(undefined, false);
        return;
      }
      store.getState().pacingChanged(false, false);
      await client.resume?.();
    },
    stopRun: async () => {
      const runId = store.getState().activeRunId;
      if (runId === null) return;
      store.getState().runStopped();
      // A worker stuck in a step that never yields cannot even receive Stop: end it, keep what is shown.
      setTimeout(() => {
        if (store.getState().activeRunId === runId) client.terminate?.(STOP_TIMEOUT_MESSAGE);
      }, STOP_DEADLINE_MS);
      await client.interrupt().catch(() => undefined);
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
      const mine = measurementFor(stored, r.model, r.dtype, probe);
      const outcome = decideBackend({ requested: r.backend ?? 'auto', adapter: probe, measurement: mine });
      if (outcome.measure || outcome.backend !== 'webgpu') return;
      // On a software adapter (only reached when WebGPU is forced) compiling in the background would
      // hold the 1–2 CPU cores and the worker queue for minutes: say so instead. The test build can
      // ask for it (localStorage `logitscope.test.warmSoftware`) to exercise the warm-up path.
      if (isSoftwareAdapter(probe) && !warmSoftwareForTest()) {
        store.getState().warmChanged({ state: 'skipped', models, adapter: adapterName(probe) });
        return;
      }
      warmed.add(warmKey(r));
      store.getState().warmChanged({ state: 'running', models });
      try {
        const result = await client.warm(
          { model: r.model, draft: r.draft ?? null, ...(r.dtype && { dtype: r.dtype }), backend: r.backend ?? 'auto', backendMeasurements: stored },
          { progress: () => undefined },
        );
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

/** Test build only: warm WebGPU pipelines on a software adapter too (e2e/backend.spec.ts). */
function warmSoftwareForTest(): boolean {
  if (!import.meta.env.LOGITSCOPE_TEST_HOOKS) return false;
  try {
    return globalThis.localStorage?.getItem('logitscope.test.warmSoftware') === '1';
  } catch {
    return false;
  }
}
