/**
 * The app store (the only module that imports zustand). Actions are named as events. Step events
 * are buffered and applied once per animation frame; events of a run that is no longer the active
 * one are ignored (late messages after Stop, a restart, or the final record).
 */
import { create } from 'zustand';
import type {
  AdapterFacts,
  BackendChoice,
  BackendMeasurement,
  DeviceInfo,
  Dtype,
  LoadProgress,
  PanelSpec,
  ParamValue,
  RunRecord,
  RunRequest,
  RunState,
  StepEvent,
  StrategyInfo,
} from '../protocol';
import type { HeatmapMode } from './heatmap';
import type { LessonSetup } from './lesson-setup';
import { BUILTIN_PREFIX } from './model-spec';
import { partialFromViews } from './partial-record';
import { addPanel, changeStrategy, duplicatePanel, freshKeys, keysAfterReplace, movePanel, removePanel, setParam, type KeyedPanels } from './panel-editor';
import {
  animationFrameScheduler,
  applyStepEvents,
  emptyViews,
  FrameBatcher,
  viewsFromRecord,
  viewsFromRecordKeeping,
  type FrameScheduler,
  type PanelView,
} from './step-batching';
import type { SavedComparison } from './run-compare';
import { DEFAULT_URL_STATE, type UrlFieldError, type UrlState } from './url-state';
import type { Catalog, RunForm, ValidationIssue } from './validation';
import { formatUiError, type UiError } from './worker-error';

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
  /**
   * A run started after `lastRecord` was made: the panels no longer show it, so Export offers nothing
   * until the new run ends (its record, or its partial record when it failed part-way).
   */
  lastRecordStale: boolean;
  lastRequest: RunRequest | null;
  error: UiError | null;
  validationErrors: ValidationIssue[];
  urlErrors: UrlFieldError[];
  catalog: Catalog | null;
  /** One key per form panel (parallel to `panels`): survives edits and moves. */
  panelKeys: string[];
  /** Keys of the panels of the run in flight. */
  requestKeys: string[] | null;
  /** Keys of the panels `panelViews` shows (parallel to it). */
  viewKeys: string[] | null;
  /** What token colours encode. */
  heatmap: HeatmapMode;
  /** Colour tokens by where they depart from the greedy panel instead of the heatmap. */
  diffMode: boolean;
  /** Set while the panels show an imported run file. */
  imported: { fileName: string } | null;
  /** Backend measurements stored on this device (app/backend-store.ts), for `auto`. */
  measurements: BackendMeasurement[];
  /** The WebGPU adapter as probed on the page (or why there is none); null until the probe answers. */
  adapterProbe: AdapterFacts | string | null;
  /** Model whose backends are being timed ("Time both backends"), null when none. */
  backendTiming: string | null;
  /** What went wrong with timing or storing a measurement (shown under the backend line). */
  backendNote: string | null;
  /** Background compilation of the WebGPU pipelines before the first Generate (null: none shown). */
  warming: WarmState | null;
  /** Presentation mode (`mode=present`): larger type, less chrome, the panels across the page. */
  presentation: boolean;
  /**
   * Step mode (`mode=step`, the Step button or Space; docs/step-mode.md): the panels show their logit
   * lab, and Step starts a run paused. Run (R) and Generate leave it.
   */
  stepMode: boolean;
  /** The run in progress is paused in the worker (waiting for Step or Run). */
  runPaused: boolean;
  /** The settings column is folded away (either mode; entering presentation folds it). */
  settingsCollapsed: boolean;
  /** Key of the one panel shown enlarged (the others hidden until restored), null when none. */
  enlargedPanel: string | null;
  /** A saved run file each panel is compared with (instead of the greedy panel), null when none. */
  comparison: SavedComparison | null;
  /** Id of the lesson last opened (app/lessons.ts); Share names it while the form is its setup. */
  lesson: string | null;
  /** The lesson's card is shown (until dismissed). */
  lessonCardOpen: boolean;
}

/** The background warm-up of the WebGPU pipelines, as shown under the backend line. */
export type WarmState =
  | { state: 'running'; models: string[] }
  | { state: 'done'; models: string[]; ms: number }
  | { state: 'failed'; models: string[]; message: string }
  /** Not warmed: the adapter is a software fallback (compiling there holds the CPU and the worker for minutes). */
  | { state: 'skipped'; models: string[]; adapter: string };

/** Store actions, named after the event that happened. */
export interface AppActions {
  promptChanged(prompt: string): void;
  builtinModelSelected(model: string): void;
  customModelChanged(text: string): void;
  draftChanged(draft: string | null): void;
  dtypeChanged(dtype: Dtype | null): void;
  backendChanged(backend: BackendChoice): void;
  measurementsLoaded(list: BackendMeasurement[]): void;
  /** A measurement arrived (from a run or "Time both backends"); `note` says why it could not be stored. */
  measurementReceived(m: BackendMeasurement, note: string | null): void;
  adapterProbed(facts: AdapterFacts | string): void;
  backendTimingStarted(model: string): void;
  backendTimingFailed(message: string): void;
  warmChanged(warming: WarmState | null): void;
  maxNewTokensChanged(text: string): void;
  seedChanged(text: string): void;
  chatTemplateChanged(on: boolean): void;
  logitLensChanged(on: boolean): void;
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
  /** `partial`: the record of what the run produced before it failed (tokens on screen), if any. */
  /** `started`: the worker's record from when decoding began, for a worker that could not send `partial` (terminated). */
  runFailed(runId: number, error: UiError, partial?: RunRecord | null, started?: RunRecord | null): void;
  errorDismissed(): void;
  panelAdded(strategy: string): void;
  panelRemoved(index: number): void;
  panelDuplicated(index: number): void;
  panelMoved(index: number, delta: number): void;
  panelStrategyChanged(index: number, strategy: StrategyInfo): void;
  /** `value` undefined resets the parameter to its default. */
  panelParamChanged(index: number, name: string, value: ParamValue | undefined): void;
  heatmapModeChanged(mode: HeatmapMode): void;
  diffModeChanged(on: boolean): void;
  /** A checked run file was opened: show it (form and panels) with no model loaded. */
  recordImported(record: RunRecord, fileName: string): void;
  /** Presentation mode switched on or off; switching it on folds the settings column away. */
  presentationToggled(on: boolean): void;
  /** Step mode on or off, and whether the run in progress is paused in the worker. */
  pacingChanged(stepMode: boolean, runPaused: boolean): void;
  settingsToggled(collapsed: boolean): void;
  /** `key` null restores every panel. */
  panelEnlarged(key: string | null): void;
  /** A checked run file was opened to compare the run on screen with; null stops comparing. */
  comparisonOpened(comparison: SavedComparison | null): void;
  /** A lesson was opened (link or menu): its setup replaces the form's; its card shows. */
  lessonOpened(id: string, setup: LessonSetup): void;
  lessonCardClosed(): void;
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
  logitLens: DEFAULT_URL_STATE.logitLens,
  runState: 'idle',
  stopping: false,
  activeRunId: null,
  viewsRunId: null,
  progress: null,
  device: null,
  panelViews: null,
  shownPrompt: null,
  lastRecord: null,
  lastRecordStale: false,
  lastRequest: null,
  error: null,
  validationErrors: [],
  urlErrors: [],
  catalog: null,
  panelKeys: freshKeys(DEFAULT_URL_STATE.panels),
  requestKeys: null,
  viewKeys: null,
  heatmap: 'probability',
  diffMode: false,
  imported: null,
  measurements: [],
  adapterProbe: null,
  backendTiming: null,
  backendNote: null,
  warming: null,
  presentation: false,
  stepMode: false,
  runPaused: false,
  settingsCollapsed: false,
  enlargedPanel: null,
  comparison: null,
  lesson: null,
  lessonCardOpen: false,
};

/** Form fields a link, a lesson or a scripted run may name; those it leaves undefined keep their values. */
type FormPatch = Partial<Pick<UrlState, 'prompt' | 'model' | 'draft' | 'dtype' | 'backend' | 'maxNewTokens' | 'seed' | 'panels' | 'chatTemplate' | 'logitLens'>>;

/** The store fields `p` sets (numbers as the form's text); `keys` gives the key of each new panel. */
function formPatch(p: FormPatch, keys: (panels: PanelSpec[]) => string[]): Partial<AppState> {
  return {
    ...(p.prompt !== undefined && { prompt: p.prompt }),
    ...(p.model !== undefined && modelFields(p.model)),
    ...(p.draft !== undefined && { draft: p.draft }),
    ...(p.dtype !== undefined && { dtype: p.dtype }),
    ...(p.backend !== undefined && { backend: p.backend }),
    ...(p.maxNewTokens !== undefined && { maxNewTokens: String(p.maxNewTokens) }),
    ...(p.seed !== undefined && { seed: String(p.seed) }),
    ...(p.panels !== undefined && { panels: p.panels, panelKeys: keys(p.panels) }),
    ...(p.chatTemplate !== undefined && { chatTemplate: p.chatTemplate }),
    ...(p.logitLens !== undefined && { logitLens: p.logitLens }),
  };
}

function modelFields(model: string): Pick<AppState, 'model' | 'customModel'> | Pick<AppState, 'model'> {
  return model.startsWith(BUILTIN_PREFIX) ? { model } : { model, customModel: model };
}

/** Creates a store; `schedule` paces step batches (one animation frame in the page). */
export function createAppStore(schedule: FrameScheduler = animationFrameScheduler) {
  return create<AppState & AppActions>()((set, get) => {
    const batcher = new FrameBatcher<StepEvent>(schedule, (events) => set((s) => ({ panelViews: applyStepEvents(s.panelViews ?? [], events) })));
    // Events count only while their run is the active one.
    const isActive = (runId: number) => get().activeRunId === runId;
    // Whether Export was already stale when the active run started (a failed run's tokens without a record).
    let staleBeforeRun = false;
    // The previous run stays on screen until the new one actually streams (so a failed load loses nothing).
    const showRun = (runId: number) => {
      const s = get();
      if (s.viewsRunId === runId) return;
      batcher.clear();
      set({
        viewsRunId: runId,
        panelViews: emptyViews(s.lastRequest?.panels ?? s.panels),
        viewKeys: s.requestKeys,
        shownPrompt: s.lastRequest?.prompt ?? null,
        imported: null,
      });
    };
    const edit = (f: (list: KeyedPanels) => KeyedPanels) =>
      set((s) => {
        const next = f({ panels: s.panels, keys: s.panelKeys });
        return { panels: next.panels, panelKeys: next.keys };
      });

    return {
      ...initialState,
      promptChanged: (prompt) => set({ prompt }),
      builtinModelSelected: (model) => set({ model }),
      customModelChanged: (text) => set({ customModel: text, model: text }),
      draftChanged: (draft) => set({ draft }),
      dtypeChanged: (dtype) => set({ dtype }),
      backendChanged: (backend) => set({ backend }),
      measurementsLoaded: (measurements) => set({ measurements }),
      measurementReceived: (m, note) =>
        set((s) => ({
          measurements: [...s.measurements.filter((o) => o.model !== m.model || o.dtype !== m.dtype || o.adapter !== m.adapter), m],
          backendTiming: null,
          backendNote: note,
        })),
      adapterProbed: (adapterProbe) => set({ adapterProbe }),
      backendTimingStarted: (model) => set({ backendTiming: model, backendNote: null }),
      backendTimingFailed: (message) => set({ backendTiming: null, backendNote: message }),
      warmChanged: (warming) => set({ warming }),
      maxNewTokensChanged: (text) => set({ maxNewTokens: text }),
      seedChanged: (text) => set({ seed: text }),
      chatTemplateChanged: (on) => set({ chatTemplate: on }),
      logitLensChanged: (on) => set({ logitLens: on }),
      panelsChanged: (panels) => set({ panels, panelKeys: freshKeys(panels) }),
      // A scripted run that repeats the panels keeps their keys, so a failure leaves their text on screen.
      runOptionsApplied: (o) => set((s) => formPatch(o, (panels) => keysAfterReplace({ panels: s.panels, keys: s.panelKeys }, panels))),
      urlStateLoaded: (u, urlErrors) =>
        set({
          ...formPatch(u, freshKeys),
          ...(u.modes?.includes('present') && { presentation: true, settingsCollapsed: true }),
          ...(u.modes?.includes('step') && { stepMode: true }),
          urlErrors,
        }),
      catalogReceived: (catalog) => set({ catalog }),
      catalogFailed: (error) => set({ error }),
      validationFailed: (validationErrors) => set({ validationErrors }),
      runRequested: (runId, request) => {
        staleBeforeRun = get().lastRecordStale;
        set({
          runState: 'loading',
          stopping: false,
          activeRunId: runId,
          lastRequest: request,
          lastRecordStale: true,
          requestKeys: get().panelKeys.length === request.panels.length ? get().panelKeys : freshKeys(request.panels),
          progress: null,
          error: null,
          validationErrors: [],
        });
      },
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
        // Apply the events already received (the record replaces their tokens, but not what only
        // events carry: a search strategy's last live state).
        batcher.flush();
        set({
          runState: 'done',
          stopping: false,
          runPaused: false,
          activeRunId: null,
          viewsRunId: runId,
          panelViews: get().viewsRunId === runId ? viewsFromRecordKeeping(get().panelViews, record) : viewsFromRecord(record),
          viewKeys: get().requestKeys ?? freshKeys(record.panels),
          imported: null,
          shownPrompt: record.prompt,
          lastRecord: record,
          lastRecordStale: false,
        });
      },
      runFailed: (runId, error, partial, started) => {
        if (!isActive(runId)) return;
        batcher.flush();
        // A terminated worker sent no partial record: build it from what it started and what is shown.
        if (!partial && started && get().viewsRunId === runId) partial = partialFromViews(started, get().panelViews ?? [], formatUiError(error));
        // A run that failed before streaming left the previous run on screen: its record is current again.
        const record = partial ? { lastRecord: partial, lastRecordStale: false } : { lastRecordStale: get().viewsRunId === runId || staleBeforeRun };
        set({ runState: 'error', stopping: false, runPaused: false, activeRunId: null, error, ...record });
      },
      errorDismissed: () => set({ error: null }),
      panelAdded: (strategy) => edit((l) => addPanel(l, strategy)),
      panelRemoved: (index) => edit((l) => removePanel(l, index)),
      panelDuplicated: (index) => edit((l) => duplicatePanel(l, index)),
      panelMoved: (index, delta) => edit((l) => movePanel(l, index, delta)),
      panelStrategyChanged: (index, strategy) => edit((l) => changeStrategy(l, index, strategy)),
      panelParamChanged: (index, name, value) => edit((l) => setParam(l, index, name, value)),
      presentationToggled: (on) => set({ presentation: on, settingsCollapsed: on }),
      pacingChanged: (stepMode, runPaused) => set({ stepMode, runPaused }),
      settingsToggled: (settingsCollapsed) => set({ settingsCollapsed }),
      panelEnlarged: (enlargedPanel) => set({ enlargedPanel }),
      comparisonOpened: (comparison) => set({ comparison }),
      heatmapModeChanged: (heatmap) => set({ heatmap }),
      diffModeChanged: (diffMode) => set({ diffMode }),
      lessonOpened: (id, l) =>
        set({
          ...formPatch(l, freshKeys),
          validationErrors: [],
          lesson: id,
          lessonCardOpen: true,
        }),
      lessonCardClosed: () => set({ lessonCardOpen: false }),
      recordImported: (record, fileName) => {
        if (get().activeRunId !== null) return;
        batcher.clear();
        const panels = record.panels.map((p) => ({ strategy: p.strategy, params: { ...p.params } }));
        const keys = freshKeys(panels);
        set({
          ...modelFields(record.model.source),
          prompt: record.prompt,
          draft: record.draft?.source ?? null,
          seed: String(record.seed),
          maxNewTokens: String(record.maxNewTokens),
          panels,
          panelKeys: keys,
          viewKeys: keys,
          viewsRunId: null,
          panelViews: viewsFromRecord(record),
          shownPrompt: record.prompt,
          lastRecord: record,
          lastRecordStale: false,
          runState: 'done',
          error: null,
          validationErrors: [],
          imported: { fileName },
        });
      },
    };
  });
}

/** A store as returned by `createAppStore`. */
export type AppStore = ReturnType<typeof createAppStore>;

/** The app's store hook: `useAppStore(selector)`; `useAppStore.getState()` outside React. */
export const useAppStore: AppStore = createAppStore();
