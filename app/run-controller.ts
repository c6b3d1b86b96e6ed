/**
 * Drives runs: the Generate button, Stop, "Reload model" and `window.logitscope.run` all go
 * through here, so the UI shows every run the same way. Talks to the worker through
 * `WorkerClient` and reports what happens to the store as events.
 */
import type { RunRecord, RunRequest, WorkerEvents } from '../protocol';
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
  /** After a device loss: restart the worker (or drop its models), then run the last request again. */
  reloadModel(): Promise<RunRecord>;
}

function formOf(s: RunForm): RunForm {
  const { prompt, model, draft, dtype, backend, maxNewTokens, seed, panels, chatTemplate } = s;
  return { prompt, model, draft, dtype, backend, maxNewTokens, seed, panels, chatTemplate };
}

/**
 * The part of `WorkerClient` the controller uses (`restart` is preferred over `unloadAll` after a
 * device loss; `terminate` ends a worker that does not answer Stop).
 */
export type WorkerPort = Pick<WorkerClient, 'catalog' | 'run' | 'interrupt' | 'unloadAll'> & Partial<Pick<WorkerClient, 'restart' | 'terminate'>>;

/** How long a run may take to end after Stop before its worker is terminated (ms). */
export const STOP_DEADLINE_MS = 3000;

/** What a run that had to be ended by terminating its worker fails with (the UI shows it). */
export const STOP_TIMEOUT_MESSAGE = `[cancelled] The decode worker did not stop within ${STOP_DEADLINE_MS / 1000} s, so it was restarted. The tokens on screen are kept; the models load again on the next run.`;

/** Builds the controller over one worker client and the app store. */
export function createRunController(client: WorkerPort, store: AppStore): RunController {
  let catalogLoad: Promise<Catalog | null> | null = null;
  let busy = false;
  let nextRunId = 1;

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

  const execute = async (request: RunRequest): Promise<RunRecord> => {
    const runId = nextRunId++;
    const s = store.getState();
    s.runRequested(runId, request);
    let partial: RunRecord | null = null;
    const events: WorkerEvents = {
      progress: (p) => store.getState().progressReceived(runId, p),
      device: (d) => store.getState().deviceReceived(runId, d),
      steps: (evs) => store.getState().stepsReceived(runId, evs),
      state: (st) => store.getState().workerStateChanged(runId, st),
      partial: (record) => {
        partial = record;
      },
    };
    try {
      const record = await client.run(request, events);
      store.getState().runFinished(runId, record);
      return record;
    } catch (err) {
      const e = parseWorkerError(err);
      store.getState().runFailed(runId, e, partial);
      throw new Error(formatUiError(e));
    }
  };

  // One run at a time: a second request while one is in flight is refused, not queued.
  const exclusive = async (work: () => Promise<RunRecord>): Promise<RunRecord> => {
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
  };
}
