/**
 * The type of `window.logitscope`, the scripting API (tests, benchmarks, the console). Types only,
 * so the end-to-end specs import it instead of re-declaring it; app/logitscope-global.ts installs it.
 */
import type { BackendMeasurement, CachedModel, GpuStats, RunRecord, RunRequest, StepEntry } from '../protocol';

/** The API on `window.logitscope`. */
export interface LogitscopeApi {
  /**
   * Merges `options` over the current form (the UI shows them), runs exactly like the Generate
   * button, and resolves to the run record. Rejects on invalid input (messages also shown inline),
   * on a worker error (`[code] message`), or when a run is already in progress.
   */
  run(options?: Partial<RunRequest>): Promise<RunRecord>;
  /**
   * Step mode (docs/step-mode.md), like the Step button: advances every panel by one step, starting
   * the run paused when none is in progress, and resolves to one entry per panel that stepped: the
   * emitted token(s) and the logit lab of that step (candidate ids with their probability after each
   * stage, how many ids each stage kept, the chosen id, the uniform when it was a draw). Empty when
   * the run ended before the step. Rejects like `run`.
   */
  step(): Promise<StepEntry[]>;
  /** Pauses the run in progress (the Pause button); Step then advances it. */
  pause(): Promise<void>;
  /** Lets a paused run go on straight through (the Run button); with no run in progress, starts one. */
  resume(): Promise<void>;
  /**
   * Times the form's model (after merging `options` like `run`) on WASM and WebGPU, stores the
   * measurement for `backend=auto` (localStorage) and resolves to it, like "Time both backends".
   */
  measureBackends(options?: Partial<RunRequest>): Promise<BackendMeasurement>;
  /**
   * A copy of the record of the run on screen: the last finished run, or the partial record of a run
   * that failed part-way (`partial` set); null before the first run and while a run is in progress.
   */
  exportRun(): RunRecord | null;
  /** Live GPU buffers the worker holds (count, bytes, buffers ever tracked): flat across runs. */
  gpuStats(): Promise<GpuStats>;
  /** Model folders in the browser cache. */
  cachedModels(): Promise<CachedModel[]>;
  /** The built-in lessons (`lesson=<id>` in a link, the Lessons menu), in menu order. */
  lessons(): { id: string; title: string }[];
  /** Keys (`model|dtype|backend`) of the models loaded in the worker, least recently used first (at most two). */
  loadedModels(): Promise<string[]>;
  /**
   * Test hooks, present only in the test/bench build (`npm run build:test`): `loseDevice()` destroys
   * the worker's GPUDevice (false when none exists yet); `blockWorker(ms)` keeps the worker thread busy
   * for `ms` (a step that never yields to Stop). Both overtake a run in progress. `restartWorker()`
   * ends the worker after the calls queued before it; the next call starts a fresh one.
   */
  debug?: { loseDevice(): Promise<boolean>; blockWorker(ms: number): Promise<boolean>; restartWorker(): Promise<void> };
}

declare global {
  interface Window {
    logitscope: LogitscopeApi;
  }
}
