import { runLoop, type PanelJob } from './decode/loop';
import { RECORD_TOP, tokenText, tokenTextAfter } from './decode/records';
import { LabLog } from './decode/lab';
import { Readout } from './decode/readout';
import { StepGate } from './decode/step-gate';
import { LensLog } from './decode/lens';
import { SequenceRunner } from './decode/sequence';
import { StopCheck } from './decode/stop';
import { LogitscopeError, toLogitscopeError } from './errors';
import { importLlama2c } from './llama2c/import-local';
import { deleteCachedModel, listCachedModels } from './model/cache-store';
import { HUB_CATALOG } from './model/catalog';
import { loadModel, loadTokenizer, type LoadedModel, type LoadedTokenizer } from './model/loader';
import { ModelPool } from './model/pool';
import { LocalFolders } from './model/local-folders';
import { BUILTIN_ROOT } from './model/source';
import {
  adapterKey,
  BACKEND_MEASUREMENT_VERSION,
  BACKENDS,
  decideBackend,
  measurementFor,
  parseMeasurement,
  type DecisionOutcome,
  type Backend,
  type BackendDecision,
  type BackendMeasurement,
  type BackendTiming,
  type Dtype,
  type LocalFile,
  type LogitscopeWorkerApi,
  type ModelListEntry,
  type ModelRecord,
  type PromptTokens,
  type RunRecord,
  type RunRequest,
  type StepEntry,
  type StepEvent,
  type WarmResult,
  type WorkerEvents,
} from '../protocol';
import { timeBackend, warmModel } from './decode/time-backend';
import { Rng } from './rng';
import { ourSubmitCount, submitCount } from './runtime/submit-counter';
import { ortRunTime } from './runtime/ort-run-timer';
import { gpuLedger } from './runtime/gpu-ledger';
import { deviceFor, deviceLostReason, loseDeviceForTest, ortDevice, probeAdapter, settledDeviceLoss, type ProbedAdapter, type RuntimeDevice } from './runtime/ort';
import { getStrategy, listStrategies } from '../strategies/registry';
import { checkPromptTokens, contextLength, LIMITS, validateRequest, validateTokenize, type ValidRequest } from './validate';

/** Models kept loaded at once (a speculative or contrastive pair is two). */
export const MAX_RESIDENT_MODELS = 2;

/** Minimum time between two step-event batches sent to the UI (ms). */
const FLUSH_MS = 33;

/** The worker's API: validates requests, loads (and reuses) models, drives the decode loop. */
export class DecodeService implements LogitscopeWorkerApi {
  /** Loaded sessions, at most MAX_RESIDENT_MODELS, least recently used unloaded first. */
  private readonly models = new ModelPool<LoadedModel>(MAX_RESIDENT_MODELS, (m) => m.session.release());
  /** Keys the run in progress has pinned in `models`. */
  private runPins: string[] = [];
  private stopRequested = false;
  private busy = false;
  /** Folders registered for `local:<name>` specs. */
  private readonly localFolders = new LocalFolders();
  /** Aborts the downloads of the run in progress (Stop / Cancel while loading). */
  private loadAbort: AbortController | null = null;
  /** Step mode's pacing of the run in progress (null between runs). */
  private gate: StepGate | null = null;
  /** Tokenizers read for `tokenize`, by model spec (a failed read is forgotten, so it can be retried). */
  private readonly tokenizers = new Map<string, Promise<LoadedTokenizer>>();

  async catalog() {
    let models: ModelListEntry[] = [];
    try {
      const res = await fetch(`${BUILTIN_ROOT}index.json`);
      if (res.ok) models = (await res.json()) as ModelListEntry[];
    } catch {
      models = [];
    }
    return { models, strategies: listStrategies(), limits: LIMITS, hub: structuredClone([...HUB_CATALOG]) };
  }

  async interrupt(): Promise<void> {
    this.stopRequested = true;
    this.loadAbort?.abort();
    this.gate?.release();
  }

  async pause(): Promise<boolean> {
    this.gate?.pause();
    return this.gate !== null;
  }

  async resume(): Promise<boolean> {
    this.gate?.resume();
    return this.gate !== null;
  }

  async step(): Promise<StepEntry[] | null> {
    return this.gate ? this.gate.step() : null;
  }

  async registerLocalFolder(name: string, files: LocalFile[]) {
    const info = this.localFolders.register(name, files);
    await this.unloadSpec(info.spec);
    return info;
  }

  async importLlama2c(name: string, model: Blob, tokenizer: Blob) {
    const info = await importLlama2c(this.localFolders, name, model, tokenizer);
    await this.unloadSpec(info.spec);
    return info;
  }

  cachedModels() {
    return listCachedModels();
  }

  deleteCachedModel(base: string) {
    return deleteCachedModel(base);
  }

  async tokenize(model: string, text: string, chatTemplate: boolean): Promise<PromptTokens> {
    try {
      validateTokenize(model, text);
      const { tokenizer, config } = await this.tokenizerFor(model);
      const ids = text === '' ? [] : tokenizer.encode(text, chatTemplate);
      return { ids, texts: ids.map((_, i) => tokenText(tokenizer, ids, i)), context: contextLength(config) };
    } catch (e) {
      throw toLogitscopeError(e);
    }
  }

  /**
   * The tokenizer of `spec`: a loaded (or loading) model's own, so its files are not fetched twice;
   * else its tokenizer files, read once (the same files, and the same encoding, as a run's).
   */
  private async tokenizerFor(spec: string): Promise<LoadedTokenizer> {
    const key = this.models.keys().find((k) => k.startsWith(`${spec}|`));
    const model = key ? this.models.peek(key) : undefined;
    if (model) {
      try {
        const m = await model;
        return { tokenizer: m.tokenizer, config: m.config };
      } catch {
        // That load failed: read the tokenizer files on their own below.
      }
    }
    let pending = this.tokenizers.get(spec);
    if (!pending) {
      pending = loadTokenizer(spec, { origin: self.location.origin, localFolders: this.localFolders });
      this.tokenizers.set(spec, pending);
      pending.catch(() => this.tokenizers.delete(spec));
    }
    return pending;
  }

  async loadedModels(): Promise<string[]> {
    return this.models.keys();
  }

  async gpuStats() {
    const stats = gpuLedger.stats();
    if (!import.meta.env.LOGITSCOPE_TEST_HOOKS) return stats;
    const ortRun = ortRunTime();
    return { ...stats, submits: submitCount(), ourSubmits: ourSubmitCount(), ortRuns: ortRun.runs, ortRunMs: ortRun.ms };
  }

  async debugLoseDevice(): Promise<boolean> {
    if (!import.meta.env.LOGITSCOPE_TEST_HOOKS) return false;
    if (![...this.models.keys()].some((k) => k.endsWith('|webgpu'))) return false;
    return loseDeviceForTest();
  }

  async debugBlock(ms: number): Promise<boolean> {
    if (!import.meta.env.LOGITSCOPE_TEST_HOOKS) return false;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // Busy on purpose: stands for a long WASM pass that never yields.
    }
    return true;
  }

  /** A re-picked folder (or re-imported checkpoint) replaces the old files: drop sessions loaded from them. */
  private async unloadSpec(spec: string): Promise<void> {
    this.tokenizers.delete(spec);
    for (const key of this.models.keys()) if (key.startsWith(`${spec}|`)) await this.models.delete(key);
  }

  async unloadAll(): Promise<void> {
    await this.models.clear();
  }

  async run(request: RunRequest, events: WorkerEvents, pace?: { paused: boolean }): Promise<RunRecord> {
    return this.exclusive('a run is already in progress: stop it first', true, async () => {
      this.stopRequested = false;
      const gate = new StepGate(pace?.paused === true);
      this.gate = gate;
      try {
        return await this.runValid(validateRequest(request), events, gate);
      } finally {
        gate.end();
        if (this.gate === gate) this.gate = null;
      }
    });
  }

  /**
   * Runs `body` as the worker's one job at a time (a run, a measurement or a warm-up): refused with
   * `busyMessage` while another is in progress; errors classified; the models it pinned unpinned after.
   */
  private async exclusive<T>(busyMessage: string, abortable: boolean, body: () => Promise<T>): Promise<T> {
    if (this.busy) throw new LogitscopeError('bad-request', busyMessage);
    this.busy = true;
    if (abortable) this.loadAbort = new AbortController();
    try {
      return await body();
    } catch (e) {
      throw this.classify(e);
    } finally {
      for (const key of this.runPins.splice(0)) this.models.unpin(key);
      this.busy = false;
      if (abortable) this.loadAbort = null;
    }
  }

  private classify(e: unknown): LogitscopeError {
    const lost = deviceLostReason();
    if (lost) return new LogitscopeError('device-lost', `The GPU device was lost (${lost}). Reload the model to continue.`);
    return toLogitscopeError(e);
  }

  async measureBackends(model: string, dtype: Dtype | null, events: Pick<WorkerEvents, 'progress'>): Promise<BackendMeasurement> {
    return this.exclusive('a run is in progress: stop it before timing the backends', true, async () => {
      if (typeof model !== 'string' || model.trim() === '') throw new LogitscopeError('bad-request', 'model must not be empty');
      return this.measure(model, dtype ?? undefined, await probeAdapter(), events);
    });
  }

  async warm(request: Pick<RunRequest, 'model' | 'draft' | 'dtype' | 'backend' | 'backendMeasurements'>, events: Pick<WorkerEvents, 'progress'>): Promise<WarmResult | null> {
    return this.exclusive('a run is in progress', false, async () => {
      const req = validateRequest({ ...request, prompt: 'warm', maxNewTokens: 1, seed: 0, panels: [{ strategy: 'greedy', params: {} }] });
      const { probed, outcome } = await this.choose(req);
      if (outcome.measure || outcome.backend !== 'webgpu') return null;
      const device = deviceFor(outcome, probed);
      const t0 = performance.now();
      const specs = req.draft ? [req.model, req.draft] : [req.model];
      for (const spec of specs) {
        const model = await this.load(spec, req.dtype, device, events);
        if (deviceLostReason()) throw new LogitscopeError('device-lost', 'the GPU device was lost');
        await warmModel(model, await ortDevice());
      }
      return { models: specs, ms: performance.now() - t0 };
    });
  }

  /** What the rule decides for the request on this adapter, given the measurement the UI stored for it. */
  private async choose(req: ValidRequest): Promise<{ probed: ProbedAdapter; outcome: DecisionOutcome }> {
    const probed = await probeAdapter();
    const stored = measurementFor((req.backendMeasurements ?? []).map(parseMeasurement), req.model, req.dtype, probed.facts);
    return { probed, outcome: decideBackend({ requested: req.backend, adapter: probed.facts, measurement: stored }) };
  }

  /** Load `spec` on both backends and time each (protocol/backend-choice.ts: what `auto` decides on). */
  private async measure(spec: string, dtype: Dtype | undefined, probed: ProbedAdapter, events: Pick<WorkerEvents, 'progress'>): Promise<BackendMeasurement> {
    const facts = probed.facts;
    if (typeof facts === 'string') throw new LogitscopeError('bad-request', `WebGPU cannot be timed on this device: ${facts}`);
    const timings = {} as Record<Backend, BackendTiming>;
    for (const backend of BACKENDS) {
      const device = deviceFor({ requested: backend, backend, reason: 'timing both backends', measurement: null }, probed);
      const model = await this.load(spec, dtype, device, events);
      if (backend === 'webgpu' && deviceLostReason()) throw new LogitscopeError('device-lost', 'the GPU device was lost');
      timings[backend] = await timeBackend(model, backend === 'webgpu' ? await ortDevice() : null);
    }
    return { version: BACKEND_MEASUREMENT_VERSION, model: spec, dtype: dtype ?? 'auto', adapter: adapterKey(facts), wasm: timings.wasm, webgpu: timings.webgpu, measuredAt: new Date().toISOString() };
  }

  /** Resolve the request's backend choice, timing both backends when `auto` has no measurement for this model and adapter. */
  private async decide(req: ValidRequest, events: WorkerEvents): Promise<RuntimeDevice> {
    const { probed, outcome } = await this.choose(req);
    if (!outcome.measure) return deviceFor(outcome, probed);
    const provisional: BackendDecision = {
      requested: 'auto',
      backend: 'wasm',
      reason: 'timing WASM and WebGPU on this model, once per model and device',
      measurement: null,
      measuring: true,
    };
    events.device(deviceFor(provisional, probed).info);
    const measured = await this.measure(req.model, req.dtype, probed, events);
    const decided = decideBackend({ requested: req.backend, adapter: probed.facts, measurement: measured });
    if (decided.measure) throw new LogitscopeError('internal', 'the backend measurement did not match this adapter');
    // Keep only the winner's session: a large model loaded twice holds twice the memory.
    const loser = decided.backend === 'webgpu' ? 'wasm' : 'webgpu';
    await this.models.delete(`${req.model}|${req.dtype ?? 'auto'}|${loser}`);
    return deviceFor(decided, probed);
  }

  private async runValid(req: ValidRequest, events: WorkerEvents, gate: StepGate): Promise<RunRecord> {
    events.state('loading');
    const device = await this.decide(req, events);
    events.device(device.info);
    // A lost device cannot run anything: say so at once instead of waiting on ORT.
    if (device.backend === 'webgpu' && deviceLostReason()) throw new LogitscopeError('device-lost', 'the GPU device was lost');
    const target = await this.load(req.model, req.dtype, device, events);
    const draft = req.draft ? await this.load(req.draft, req.dtype, device, events) : null;
    if (draft) checkPair(target, draft);
    const gpu = device.backend === 'webgpu' ? await ortDevice() : null;
    events.state('running');
    const promptIds = target.tokenizer.encode(req.prompt, Boolean(req.chatTemplate));
    if (promptIds.length === 0) throw new LogitscopeError('bad-request', 'the prompt encodes to no tokens');
    checkPromptTokens(promptIds.length, [target, ...(draft ? [draft] : [])].map((m) => ({ spec: m.source.spec, context: contextLength(m.config) })));
    const owned: Readout[] = [];
    const stop = new StopCheck(() => this.stopRequested);
    const jobs = req.panels.map((p) => this.makeJob(p, req, target, draft, gpu, promptIds, owned, stop));
    const pending: StepEvent[] = [];
    let lastFlush = 0;
    // Sends the batched events; the promise settles once the page has taken them (the final flush is
    // awaited, so the last events reach the page before the record: they travel on another channel).
    const flush = (): Promise<unknown> => {
      if (pending.length === 0) return Promise.resolve();
      const batch = pending.splice(0);
      // Only the newest live state of a panel is shown: drop the older ones of this batch (beam
      // search's tree is the bulk of an event).
      const seen = new Set<number>();
      for (let i = batch.length - 1; i >= 0; i--) {
        const ev = batch[i]!;
        if (!ev.live) continue;
        if (seen.has(ev.panel)) batch[i] = { ...ev, live: undefined };
        seen.add(ev.panel);
      }
      lastFlush = performance.now();
      return Promise.resolve(events.steps(batch)).catch(() => undefined);
    };
    const record = (): RunRecord => ({
      format: 'logitscope-run',
      version: 1,
      prompt: req.prompt,
      promptTokens: promptIds,
      model: modelRecord(target, device.info.decision),
      draft: draft ? modelRecord(draft, device.info.decision) : null,
      seed: req.seed,
      maxNewTokens: req.maxNewTokens,
      createdAt: new Date().toISOString(),
      panels: jobs.map((j) => j.record),
    });
    void Promise.resolve(events.started?.(structuredClone(record()))).catch(() => undefined);
    try {
      await runLoop({
        jobs,
        maxNewTokens: req.maxNewTokens,
        tokenizer: target.tokenizer,
        eosIds: target.tokenizer.eosIds,
        interrupted: () => this.stopRequested,
        emit: (ev) => {
          pending.push(ev);
          if (performance.now() - lastFlush >= FLUSH_MS) void flush();
        },
        isFatal: async (err) => /out-of-memory|device-lost/.test(err.message) || (gpu !== null && (await settledDeviceLoss()) !== null),
        gate,
        // A round taken in step mode is shown at once (its step() answers right after).
        afterRound: () => {
          if (gate.isPaused) void flush();
        },
      });
      await flush();
    } catch (e) {
      // The tokens already streamed are on screen: hand their record over (labelled partial) before failing.
      await flush();
      const err = this.classify(e);
      for (const j of jobs) {
        j.record.text = target.tokenizer.decode(j.generated);
        if (j.record.stats.finishReason === null) {
          j.record.stats.finishReason = 'error';
          j.record.error = err.message;
        }
      }
      await Promise.resolve(events.partial?.({ ...record(), partial: { error: err.message } })).catch(() => undefined);
      throw err;
    } finally {
      for (const j of jobs) {
        j.run.dispose?.();
        j.target.dispose();
        j.draft?.dispose();
      }
      for (const r of owned) r.dispose();
    }
    return record();
  }

  private makeJob(
    p: ValidRequest['panels'][number],
    req: ValidRequest,
    target: LoadedModel,
    draft: LoadedModel | null,
    gpu: GPUDevice | null,
    promptIds: number[],
    owned: Readout[],
    stop: StopCheck,
  ): PanelJob {
    const strategy = getStrategy(p.strategy)!;
    const readouts = [new Readout(gpu)];
    owned.push(readouts[0]!);
    const t = new SequenceRunner(target, readouts[0]!, promptIds, gpu, stop);
    if (req.logitLens !== false && target.session.facts.hasLayerLogits) t.lens = new LensLog();
    let d: SequenceRunner | null = null;
    if (draft) {
      readouts.push(new Readout(gpu));
      owned.push(readouts[1]!);
      d = new SequenceRunner(draft, readouts[1]!, promptIds, gpu, stop);
    }
    // A strategy that needs the second model drives it; any other keeps it in step through the loop.
    const drivesDraft = strategy.info.needsDraft || (strategy.drivesDraft?.(p.params) ?? false);
    const lab = new LabLog();
    t.lab = { log: lab, model: 'target' };
    if (d) d.lab = { log: lab, model: 'draft' };
    const run = strategy.start({
      params: p.params,
      target: t,
      draft: drivesDraft ? d : null,
      capabilities: t.capabilities(),
      // The second model's batched forwards, for a strategy that drives it (weak-to-strong's expert context).
      ...(drivesDraft && d ? { draftCapabilities: { batched: d } } : {}),
      rng: new Rng(req.seed),
      topK: RECORD_TOP,
      eosIds: target.tokenizer.eosIds,
      maxNewTokens: req.maxNewTokens,
      textAfter: (context, id) => tokenTextAfter(target.tokenizer, context, id),
      stop,
    });
    return {
      run,
      target: t,
      draft: d,
      commitDraft: !drivesDraft,
      readouts,
      lab,
      promptIds,
      generated: [],
      record: {
        strategy: p.strategy,
        params: p.params,
        text: '',
        tokens: [],
        stats: { newTokens: 0, targetForwards: 0, draftForwards: 0, wallMs: 0, tokensPerSecond: 0, readbackBytes: 0, finishReason: null, timeToFirstTokenMs: null },
      },
    };
  }

  /** Load (or reuse) a model's sessions, pinned until the run (or measurement, or warm-up) ends. */
  private load(spec: string, dtype: Dtype | undefined, device: RuntimeDevice, events: Pick<WorkerEvents, 'progress'>): Promise<LoadedModel> {
    const key = `${spec}|${dtype ?? 'auto'}|${device.backend}`;
    // Pinned for the whole run: loading its second model never unloads its first.
    this.models.pin(key);
    this.runPins.push(key);
    return this.models.get(key, () =>
      loadModel(spec, {
        dtype,
        backend: device.backend,
        shaderF16: device.info.shaderF16,
        origin: self.location.origin,
        onProgress: (pr) => events.progress(pr),
        localFolders: this.localFolders,
        ...(this.loadAbort ? { signal: this.loadAbort.signal } : {}),
      }),
    );
  }
}

function modelRecord(m: LoadedModel, decision: BackendDecision): ModelRecord {
  const t = decision.measurement;
  return {
    source: m.source.spec,
    vocabSize: m.session.facts.logitWidth,
    tokenizerVocabSize: m.tokenizer.size,
    lensLayers: m.session.facts.lensLayers,
    dtype: m.dtype,
    backend: m.backend,
    backendRequested: decision.requested,
    backendReason: decision.reason,
    backendTimings: t ? { wasm: t.wasm.msPerToken, webgpu: t.webgpu.msPerToken } : null,
  };
}

/**
 * Paired models must share the tokenizer; their logit rows are compared over the common ids
 * [0, tokenizer size), rows beyond masked in both. Widths may differ (padded lm_heads) as long as
 * both cover every tokenizer id.
 */
function checkPair(target: LoadedModel, draft: LoadedModel): void {
  if (target.tokenizer.vocabHash !== draft.tokenizer.vocabHash || target.tokenizer.size !== draft.tokenizer.size) {
    throw new LogitscopeError(
      'pair-mismatch',
      `${target.source.spec} and ${draft.source.spec} do not share a tokenizer (vocabulary hashes ${target.tokenizer.vocabHash} vs ${draft.tokenizer.vocabHash}, sizes ${target.tokenizer.size} vs ${draft.tokenizer.size})`,
    );
  }
  for (const m of [target, draft]) {
    if (m.session.facts.logitWidth < m.tokenizer.size) {
      throw new LogitscopeError(
        'pair-mismatch',
        `${m.source.spec} scores ${m.session.facts.logitWidth} ids (logit width) but the shared tokenizer defines ${m.tokenizer.size}: the pair has no common vocabulary to compare (target width ${target.session.facts.logitWidth}, draft width ${draft.session.facts.logitWidth})`,
      );
    }
  }
}
