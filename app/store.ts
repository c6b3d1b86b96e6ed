/**
 * The app store (the only module that imports zustand). Actions are named as events. Step events
 * are buffered and applied once per animation frame; events of a run that is no longer the active
 * one are ignored (late messages after Stop, a restart, or the final record).
 */
import { create } from 'zustand';
import type { Backend, DeviceInfo, Dtype, LoadProgress, PanelSpec, RunRecord, RunRequest, RunState, StepEvent } from '../workers/protocol';
import { BUILTIN_PREFIX } from './model-spec';
import { animationFrameScheduler, applyStepEvents, emptyViews, FrameBatcher, viewsFromRecord, type FrameScheduler, type PanelView } from './step-batching';
import { DEFAULT_URL_STATE, type UrlFieldError, type UrlState } from './url-state';
import type { Catalog, RunForm, ValidationIssue } from './validation';
import type { UiError } from './worker-error';

/** Everything the UI shows. Form numbers are kept as typed (validated when a run starts). */
export interface AppState extends RunForm {
  /** Text of the free-text model field (Hub id or URL), kept when a built-in is picked. */
  customModel: string;
  runState: RunState;
  /** Stop was pressed and the run has not ended yet. */
  stopping: boolean;
  /** Id of the run whose events are accepted; null when none is in flight. */
  activeRunId: number | null;
  /** Run whose panels `panelViews` shows (null before the first run streams). */
  viewsRunId: number | null;
  progress: LoadProgress | null;
  device: DeviceInfo | null;
  /** Panels on screen; null until a run has started streaming. */
  panelViews: PanelView[] | null;
  /** Prompt of the run the panels show. */
  shownPrompt: string | null;
  lastRecord: RunRecord | null;
  lastRequest: RunRequest | null;
  error: UiError | null;
  validationErrors: ValidationIssue[];
  urlErrors: UrlFieldError[];
  catalog: Catalog | null;
}

/** Store actions, named after the event that happened. */
export interface AppActions {
  promptChanged(prompt: string): void;
  builtinModelSelected(model: string): void;
  customModelChanged(text: string): void;
  draftChanged(draft: string | null): void;
  dtypeChanged(dtype: Dtype | null): void;
  backendChanged(backend: Backend): void;
  maxNewTokensChanged(text: string): void;
  seedChanged(text: string): void;
  chatTemplateChanged(on: boolean): void;
  panelsChanged(panels: PanelSpec[]): void;
  /** Merges `window.logitscope.run` options into the form. */
  runOptionsApplied(options: Partial<RunRequest>): void;
  urlStateLoaded(state: Partial<UrlState>, errors: UrlFieldError[]): void;
  catalogReceived(catalog: Catalog): void;
  catalogFailed(error: UiError): void;
  validationFailed(errors: ValidationIssue[]): void;
  runRequested(runId: number, request: RunRequest): void;
  workerStateChanged(runId: number, state: 'loading' | 'running'): void;
  progressReceived(runId: number, progress: LoadProgress): void;
  deviceReceived(runId: number, device: DeviceInfo): void;
  stepsReceived(runId: number, events: StepEvent[]): void;
  runStopped(): void;
  runFinished(runId: number, record: RunRecord): void;
  runFailed(runId: number, error: UiError): void;
  errorDismissed(): void;
}

const initialState: AppState = {
  prompt: DEFAULT_URL_STATE.prompt,
  model: DEFAULT_URL_STATE.model,
  customModel: '',
  draft: DEFAULT_URL_STATE.draft,
  dtype: DEFAULT_URL_STATE.dtype,
  backend: DEFAULT_URL_STATE.backend,
  maxNewTokens: String(DEFAULT_URL_STATE.maxNewTokens),
  seed: String(DEFAULT_URL_STATE.seed),
  panels: DEFAULT_URL_STATE.panels.map((p) => ({ ...p, params: { ...p.params } })),
  chatTemplate: DEFAULT_URL_STATE.chatTemplate,
  runState: 'idle',
  stopping: false,
  activeRunId: null,
  viewsRunId: null,
  progress: null,
  device: null,
  panelViews: null,
  shownPrompt: null,
  lastRecord: null,
  lastRequest: null,
  error: null,
  validationErrors: [],
  urlErrors: [],
  catalog: null,
};

function modelFields(model: string): Pick<AppState, 'model' | 'customModel'> | Pick<AppState, 'model'> {
  return model.startsWith(BUILTIN_PREFIX) ? { model } : { model, customModel: model };
}

/** Creates a store; `schedule` paces step batches (one animation frame in the page). */
export function createAppStore(schedule: FrameScheduler = animationFrameScheduler) {
  return create<AppState & AppActions>()((set, get) => {
    const batcher = new FrameBatcher<StepEvent>(schedule, (events) => set((s) => ({ panelViews: applyStepEvents(s.panelViews ?? [], events) })));
    // Events count only while their run is the active one.
    const isActive = (runId: number) => get().activeRunId === runId;
    // The previous run stays on screen until the new one actually streams (so a failed load loses nothing).
    const showRun = (runId: number) => {
      const s = get();
      if (s.viewsRunId === runId) return;
      batcher.clear();
      set({
        viewsRunId: runId,
        panelViews: emptyViews(s.lastRequest?.panels ?? s.panels),
        shownPrompt: s.lastRequest?.prompt ?? null,
      });
    };

    return {
      ...initialState,
      promptChanged: (prompt) => set({ prompt }),
      builtinModelSelected: (model) => set({ model }),
      customModelChanged: (text) => set({ customModel: text, model: text }),
      draftChanged: (draft) => set({ draft }),
      dtypeChanged: (dtype) => set({ dtype }),
      backendChanged: (backend) => set({ backend }),
      maxNewTokensChanged: (text) => set({ maxNewTokens: text }),
      seedChanged: (text) => set({ seed: text }),
      chatTemplateChanged: (on) => set({ chatTemplate: on }),
      panelsChanged: (panels) => set({ panels }),
      runOptionsApplied: (o) =>
        set({
          ...(o.prompt !== undefined && { prompt: o.prompt }),
          ...(o.model !== undefined && modelFields(o.model)),
          ...(o.draft !== undefined && { draft: o.draft }),
          ...(o.dtype !== undefined && { dtype: o.dtype }),
          ...(o.backend !== undefined && { backend: o.backend }),
          ...(o.maxNewTokens !== undefined && { maxNewTokens: String(o.maxNewTokens) }),
          ...(o.seed !== undefined && { seed: String(o.seed) }),
          ...(o.panels !== undefined && { panels: o.panels }),
          ...(o.chatTemplate !== undefined && { chatTemplate: o.chatTemplate }),
        }),
      urlStateLoaded: (u, urlErrors) =>
        set({
          ...(u.prompt !== undefined && { prompt: u.prompt }),
          ...(u.model !== undefined && modelFields(u.model)),
          ...(u.draft !== undefined && { draft: u.draft }),
          ...(u.dtype !== undefined && { dtype: u.dtype }),
          ...(u.backend !== undefined && { backend: u.backend }),
          ...(u.maxNewTokens !== undefined && { maxNewTokens: String(u.maxNewTokens) }),
          ...(u.seed !== undefined && { seed: String(u.seed) }),
          ...(u.panels !== undefined && { panels: u.panels }),
          ...(u.chatTemplate !== undefined && { chatTemplate: u.chatTemplate }),
          urlErrors,
        }),
      catalogReceived: (catalog) => set({ catalog }),
      catalogFailed: (error) => set({ error }),
      validationFailed: (validationErrors) => set({ validationErrors }),
      runRequested: (runId, request) =>
        set({
          runState: 'loading',
          stopping: false,
          activeRunId: runId,
          lastRequest: request,
          progress: null,
          error: null,
          validationErrors: [],
        }),
      workerStateChanged: (runId, state) => {
        if (!isActive(runId)) return;
        if (state === 'running') showRun(runId);
        set({ runState: state });
      },
      progressReceived: (runId, progress) => {
        if (isActive(runId)) set({ progress });
      },
      deviceReceived: (runId, device) => {
        if (isActive(runId)) set({ device });
      },
      stepsReceived: (runId, events) => {
        if (!isActive(runId)) return;
        showRun(runId);
        batcher.push(events);
      },
      runStopped: () => {
        if (get().activeRunId !== null) set({ stopping: true });
      },
      runFinished: (runId, record) => {
        if (!isActive(runId)) return;
        batcher.clear();
        set({
          runState: 'done',
          stopping: false,
          activeRunId: null,
          viewsRunId: runId,
          panelViews: viewsFromRecord(record),
          shownPrompt: record.prompt,
          lastRecord: record,
        });
      },
      runFailed: (runId, error) => {
        if (!isActive(runId)) return;
        batcher.flush();
        set({ runState: 'error', stopping: false, activeRunId: null, error });
      },
      errorDismissed: () => set({ error: null }),
    };
  });
}

/** A store as returned by `createAppStore`. */
export type AppStore = ReturnType<typeof createAppStore>;

/** The app's store hook: `useAppStore(selector)`; `useAppStore.getState()` outside React. */
export const useAppStore: AppStore = createAppStore();
