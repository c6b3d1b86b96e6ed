import { describe, expect, it, vi } from 'vitest';
import { BACKEND_MEASUREMENT_VERSION, type BackendMeasurement, type PanelStats, type RunRecord, type RunRequest, type StepEvent, type TokenRecord, type WorkerEvents } from '../../protocol';
import { createRunController, STOP_DEADLINE_MS, STOP_TIMEOUT_MESSAGE, ValidationError, type WorkerPort } from '../../app/run-controller';
import { createAppStore } from '../../app/store';
import type { FrameScheduler } from '../../app/step-batching';
import type { Catalog } from '../../app/validation';

// A scripted stand-in for the worker client: each test decides what `run` does with the events.
type RunScript = (request: RunRequest, events: WorkerEvents) => Promise<RunRecord>;

const catalog: Catalog = {
  models: [{ id: 'builtin:tiny-llama', label: 'Tiny', description: '', pairedWith: null }],
  strategies: [{ id: 'greedy', label: 'Greedy', description: '', needsDraft: false, interpretation: false, params: [] }],
  limits: { maxNewTokensMin: 1, maxNewTokensMax: 64, maxPromptChars: 100, maxPanels: 2 },
};

const tok = (id: number): TokenRecord => ({ id, text: `t${id}`, prob: 0.5, logprob: Math.log(0.5), entropy: 1, top: [], annotations: {} });
const stats = (n: number, finishReason: PanelStats['finishReason'] = null): PanelStats => ({
  newTokens: n,
  targetForwards: n,
  draftForwards: 0,
  wallMs: n,
  tokensPerSecond: 1000,
  readbackBytes: 0,
  finishReason,
  timeToFirstTokenMs: 1,
});
const step = (ids: number[], n: number): StepEvent[] => [{ panel: 0, tokens: ids.map(tok), stats: stats(n) }];
const record = (req: RunRequest, ids: number[], finish: PanelStats['finishReason'] = 'max'): RunRecord => ({
  format: 'logitscope-run',
  version: 1,
  prompt: req.prompt,
  promptTokens: [1],
  model: { source: req.model, vocabSize: 258, tokenizerVocabSize: 258, dtype: 'fp32', backend: 'wasm' },
  draft: null,
  seed: req.seed,
  maxNewTokens: req.maxNewTokens,
  createdAt: '2025-01-01T00:00:00.000Z',
  panels: [{ strategy: 'greedy', params: {}, text: '', tokens: ids.map(tok), stats: stats(ids.length, finish) }],
});

function setup(script: RunScript) {
  const frames: (() => void)[] = [];
  const schedule: FrameScheduler = (cb) => {
    frames.push(cb);
    return () => {
      const i = frames.indexOf(cb);
      if (i >= 0) frames.splice(i, 1);
    };
  };
  const calls: string[] = [];
  const port: WorkerPort = {
    catalog: async () => (calls.push('catalog'), catalog),
    run: (req, events) => (calls.push('run'), script(req, events)),
    interrupt: async () => void calls.push('interrupt'),
    unloadAll: async () => void calls.push('unloadAll'),
  };
  const store = createAppStore(schedule);
  const controller = createRunController(port, store);
  const runFrame = () => frames.splice(0).forEach((f) => f());
  return { store, controller, calls, runFrame, port };
}

describe('run controller and store', () => {
  it('streams steps once per frame, then shows the record', async () => {
    let seen: string[] = [];
    const t = setup(async (req, ev) => {
      ev.state('loading');
      ev.state('running');
      ev.steps(step([1], 1));
      ev.steps(step([2], 2));
      seen = (t.store.getState().panelViews?.[0]?.tokens ?? []).map((x) => x.text);
      t.runFrame();
      seen.push(...(t.store.getState().panelViews?.[0]?.tokens ?? []).map((x) => x.text));
      return record(req, [1, 2, 3]);
    });
    const rec = await t.controller.startRun({ prompt: 'hi', maxNewTokens: 3 });
    expect(seen).toEqual(['t1', 't2']);
    const s = t.store.getState();
    expect(s.runState).toBe('done');
    expect(s.lastRecord).toBe(rec);
    expect(s.panelViews?.[0]?.tokens.map((x) => x.id)).toEqual([1, 2, 3]);
    expect(s.shownPrompt).toBe('hi');
  });

  it('never starts a run with invalid input', async () => {
    const t = setup(async (req) => record(req, [1]));
    await expect(t.controller.startRun({ prompt: ' ', maxNewTokens: 65 })).rejects.toBeInstanceOf(ValidationError);
    expect(t.calls).toEqual(['catalog']);
    expect(t.store.getState().runState).toBe('idle');
    expect(t.store.getState().validationErrors.map((e) => e.field)).toEqual(['prompt', 'maxNewTokens']);
  });

  it('keeps the previous tokens when the next run fails while loading', async () => {
    let fail = false;
    const t = setup(async (req, ev) => {
      ev.state('loading');
      if (fail) throw new Error('[model-not-found] Could not fetch /x/config.json: HTTP 404');
      ev.state('running');
      return record(req, [5, 6]);
    });
    await t.controller.startRun();
    fail = true;
    await expect(t.controller.startRun({ model: '/x' })).rejects.toThrow('[model-not-found] Could not fetch /x/config.json');
    const s = t.store.getState();
    expect(s.runState).toBe('error');
    expect(s.error).toEqual({ code: 'model-not-found', message: 'Could not fetch /x/config.json: HTTP 404' });
    expect(s.panelViews?.[0]?.tokens.map((x) => x.id)).toEqual([5, 6]);
    fail = false;
    await t.controller.startRun({ model: 'builtin:tiny-llama' });
    expect(t.store.getState().runState).toBe('done');
    expect(t.store.getState().error).toBeNull();
  });

  it('keeps the streamed tokens of a run that fails midway', async () => {
    const t = setup(async (_req, ev) => {
      ev.state('running');
      ev.steps(step([7, 8], 2));
      throw new Error('[out-of-memory] buffer allocation failed');
    });
    await expect(t.controller.startRun()).rejects.toThrow('[out-of-memory]');
    expect(t.store.getState().panelViews?.[0]?.tokens.map((x) => x.id)).toEqual([7, 8]);
  });

  it('a run start makes the last record stale; a run failing midway exports its partial record', async () => {
    let fail = false;
    let exportedDuring: unknown = 'unset';
    const t = setup(async (req, ev) => {
      ev.state('running');
      exportedDuring = t.store.getState().lastRecordStale ? null : t.store.getState().lastRecord;
      if (!fail) return record(req, [1, 2, 3]);
      ev.steps(step([7, 8], 2));
      ev.partial?.({ ...record(req, [7, 8], 'error'), partial: { error: '[device-lost] The GPU device was lost' } });
      throw new Error('[device-lost] The GPU device was lost');
    });
    const first = await t.controller.startRun();
    expect(exportedDuring).toBeNull();
    expect(t.store.getState().lastRecordStale).toBe(false);
    fail = true;
    await expect(t.controller.startRun()).rejects.toThrow('[device-lost]');
    const s = t.store.getState();
    expect(exportedDuring).toBeNull();
    expect(s.lastRecord).not.toBe(first);
    expect(s.lastRecordStale).toBe(false);
    expect(s.lastRecord?.partial).toEqual({ error: '[device-lost] The GPU device was lost' });
    expect(s.lastRecord?.panels[0]?.tokens.map((x) => x.id)).toEqual([7, 8]);
  });

  it('a run failing midway without a record leaves nothing to export; one failing while loading restores the previous record', async () => {
    let mode: 'ok' | 'midway' | 'load' = 'ok';
    const t = setup(async (req, ev) => {
      if (mode === 'load') throw new Error('[model-not-found] no such model');
      ev.state('running');
      if (mode === 'ok') return record(req, [1]);
      ev.steps(step([4], 1));
      throw new Error('[internal] the worker died');
    });
    const first = await t.controller.startRun();
    mode = 'load';
    await expect(t.controller.startRun()).rejects.toThrow('[model-not-found]');
    expect(t.store.getState()).toMatchObject({ lastRecord: first, lastRecordStale: false });
    mode = 'midway';
    await expect(t.controller.startRun()).rejects.toThrow('[internal]');
    expect(t.store.getState().lastRecordStale).toBe(true);
    mode = 'load';
    await expect(t.controller.startRun()).rejects.toThrow('[model-not-found]');
    expect(t.store.getState().lastRecordStale).toBe(true);
  });

  it('maps Stop to interrupt and refuses a second concurrent run', async () => {
    let finish: () => void = () => undefined;
    const t = setup(
      (req, ev) =>
        new Promise((resolve) => {
          ev.state('running');
          finish = () => resolve(record(req, [1], 'stopped'));
        }),
    );
    const running = t.controller.startRun();
    await new Promise((r) => setTimeout(r, 0));
    await expect(t.controller.startRun()).rejects.toThrow('already in progress');
    await t.controller.stopRun();
    expect(t.store.getState().stopping).toBe(true);
    expect(t.calls).toContain('interrupt');
    finish();
    await running;
    expect(t.store.getState().stopping).toBe(false);
    expect(t.store.getState().lastRecord?.panels[0]?.stats.finishReason).toBe('stopped');
  });

  it('a run still going 3 s after Stop has its worker terminated; the tokens shown are kept and the error says so', async () => {
    vi.useFakeTimers();
    try {
      let kill: (e: Error) => void = () => undefined;
      const t = setup(
        (_req, ev) =>
          new Promise((_, reject) => {
            ev.state('running');
            ev.started?.(record(_req, []));
            ev.steps(step([3, 4], 2));
            kill = reject;
          }),
      );
      const terminated: string[] = [];
      const port = { ...t.port, interrupt: () => new Promise<void>(() => undefined), terminate: (m: string) => (terminated.push(m), kill(new Error(m))) };
      const controller = createRunController(port, t.store);
      const running = controller.startRun().catch((e: unknown) => String(e));
      await vi.advanceTimersByTimeAsync(0);
      t.runFrame();
      void controller.stopRun();
      await vi.advanceTimersByTimeAsync(STOP_DEADLINE_MS - 10);
      expect(terminated).toEqual([]);
      await vi.advanceTimersByTimeAsync(20);
      expect(terminated).toEqual([STOP_TIMEOUT_MESSAGE]);
      expect(await running).toContain('[cancelled]');
      const s = t.store.getState();
      expect(s.error?.message).toContain('restarted');
      expect(s.activeRunId).toBeNull();
      expect(s.panelViews?.[0]?.tokens.map((x) => x.id)).toEqual([3, 4]);
      // The terminated worker could send no record: the page built the partial one from what it showed.
      expect(s.lastRecordStale).toBe(false);
      expect(s.lastRecord?.partial?.error).toContain('[cancelled]');
      expect(s.lastRecord?.panels[0]?.tokens.map((x) => x.id)).toEqual([3, 4]);
      expect(s.lastRecord?.panels[0]?.stats.finishReason).toBe('error');
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores events of a run that is no longer active', async () => {
    let late: WorkerEvents | null = null;
    const t = setup(async (req, ev) => {
      late = ev;
      ev.state('running');
      return record(req, [1]);
    });
    await t.controller.startRun();
    (late as WorkerEvents | null)?.steps(step([99], 2));
    t.runFrame();
    expect(t.store.getState().panelViews?.[0]?.tokens.map((x) => x.id)).toEqual([1]);
  });

  it('reloads after a device loss: unloadAll, then the same request again', async () => {
    let lost = true;
    const t = setup(async (req) => {
      if (lost) throw new Error('[device-lost] The GPU device was lost (destroyed).');
      return record(req, [3]);
    });
    await expect(t.controller.startRun({ prompt: 'again' })).rejects.toThrow('[device-lost]');
    expect(t.store.getState().error?.code).toBe('device-lost');
    lost = false;
    const rec = await t.controller.reloadModel();
    expect(t.calls.slice(-2)).toEqual(['unloadAll', 'run']);
    expect(rec.prompt).toBe('again');
    expect(t.store.getState().runState).toBe('done');
  });
});

describe('backend=auto measurements in the controller', () => {
  const measurement = (model: string, wasm: number): BackendMeasurement => ({
    version: BACKEND_MEASUREMENT_VERSION,
    model,
    dtype: 'auto',
    adapter: 'nvidia|hopper||NVIDIA H200',
    wasm: { prefillMs: 1, msPerToken: wasm, steps: 8, warmupMs: 1 },
    webgpu: { prefillMs: 1, msPerToken: 18, steps: 8, warmupMs: 1 },
    measuredAt: '2026-11-27T00:00:00.000Z',
  });

  it('sends the stored measurements of the model with an auto run, and none with a forced backend', async () => {
    const sent: (BackendMeasurement[] | undefined)[] = [];
    const t = setup(async (req) => (sent.push(req.backendMeasurements), record(req, [1])));
    t.store.getState().measurementsLoaded([measurement('builtin:tiny-llama', 0.9), measurement('builtin:other', 2)]);
    await t.controller.startRun({ prompt: 'hi', model: 'builtin:tiny-llama', maxNewTokens: 1, backend: 'auto' });
    await t.controller.startRun({ prompt: 'hi', model: 'builtin:tiny-llama', maxNewTokens: 1, backend: 'webgpu' });
    expect(sent[0]?.map((m) => m.model)).toEqual(['builtin:tiny-llama']);
    expect(sent[1]).toBeUndefined();
  });

  it('keeps a measurement the worker made during a run (and says when storage is missing)', async () => {
    const m = measurement('builtin:tiny-llama', 0.9);
    const t = setup(async (req, ev) => {
      ev.device({ backend: 'wasm', adapter: null, shaderF16: false, fallbackReason: 'x', decision: { requested: 'auto', backend: 'wasm', reason: 'timing', measurement: null, measuring: true } });
      ev.device({ backend: 'wasm', adapter: null, shaderF16: false, fallbackReason: 'x', decision: { requested: 'auto', backend: 'wasm', reason: '0.90 ms/token vs WebGPU 18.0 ms/token on this device', measurement: structuredClone(m) } });
      return record(req, [1]);
    });
    await t.controller.startRun({ prompt: 'hi', maxNewTokens: 1, backend: 'auto' });
    expect(t.store.getState().measurements).toEqual([m]);
    // Vitest runs in Node, which has no localStorage: the page says the measurement is not kept.
    expect(t.store.getState().backendNote).toMatch(/no local storage/);
  });

  it('Step with no run starts one paused, steps once the worker has it, and Run / Pause pace it', async () => {
    let finish: (() => void) | null = null;
    const paces: (boolean | undefined)[] = [];
    const t = setup((req, ev) => {
      ev.state('loading');
      return new Promise<RunRecord>((resolve) => {
        finish = () => resolve(record(req, [1, 2]));
      });
    });
    const runOf = t.port.run;
    t.port.run = (req, ev, paused) => (paces.push(paused), runOf(req, ev));
    const entries = [{ panel: 0, tokens: [tok(1)], lab: null, finishReason: null }];
    t.port.step = async () => (t.calls.push('step'), entries);
    t.port.pause = async () => (t.calls.push('pause'), true);
    t.port.resume = async () => (t.calls.push('resume'), true);
    t.store.getState().runOptionsApplied({ prompt: 'hi', maxNewTokens: 3 });
    await expect(t.controller.step()).resolves.toBe(entries);
    expect(paces).toEqual([true]);
    expect(t.calls).toEqual(['catalog', 'run', 'step']);
    expect(t.store.getState()).toMatchObject({ stepMode: true, runPaused: true });
    await t.controller.resumeRun();
    expect(t.store.getState()).toMatchObject({ stepMode: false, runPaused: false });
    await t.controller.pauseRun();
    expect(t.store.getState()).toMatchObject({ stepMode: true, runPaused: true });
    await t.controller.step();
    expect(t.calls).toEqual(['catalog', 'run', 'step', 'resume', 'pause', 'step']);
    finish!();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.store.getState()).toMatchObject({ runState: 'done', runPaused: false, stepMode: true });
    // Generate leaves step mode.
    const run = t.controller.startRun();
    await new Promise((r) => setTimeout(r, 0));
    expect(paces).toEqual([true, false]);
    expect(t.store.getState().stepMode).toBe(false);
    finish!();
    await run;
  });

  it('Step rejects like a run on invalid input, and never asks the worker to step', async () => {
    const t = setup(async (req) => record(req, [1]));
    t.port.step = async () => (t.calls.push('step'), []);
    t.store.getState().runOptionsApplied({ prompt: ' ' });
    await expect(t.controller.step()).rejects.toBeInstanceOf(ValidationError);
    expect(t.calls).not.toContain('step');
  });
});

