import { toLogitscopeError } from '../errors';
import { LAB_MAX_ROWS, type FinishReason, type LabStep, type LiveState, type PanelRecord, type StepEntry, type StepEvent, type TokenRecord } from '../../protocol';
import type { LabLog, LabRowIds } from './lab';
import type { EmittedToken, StrategyRun } from './step';
import type { StepGate } from './step-gate';
import { TextsAfter, toRecord, type Detokenizer } from './records';
import type { TokenSequence } from './sequence';
import { IntervalYield, StopRequested } from './stop';

/** One panel being decoded: its strategy run, its runners and the record being filled. */
export interface PanelJob {
  run: StrategyRun;
  target: TokenSequence;
  draft: TokenSequence | null;
  /**
   * The loop commits every emitted token to `draft` (a request's second model the strategy does not
   * drive, kept in step with the target). False or absent: the strategy drives the draft itself.
   */
  commitDraft?: boolean;
  /** Byte counters of the readouts that belong to this panel. */
  readouts: { bytes: number }[];
  record: PanelRecord;
  promptIds: number[];
  /** Emitted token ids so far (the strategy commits them to its own runners, the loop to an undriven draft). */
  generated: number[];
  /** The panel's logit lab log, which its runners record into during the steps taken in step mode. */
  lab?: LabLog;
}

/** What the loop needs from its caller. */
export interface LoopOptions {
  jobs: PanelJob[];
  maxNewTokens: number;
  tokenizer: Detokenizer;
  eosIds: number[];
  interrupted(): boolean;
  emit(event: StepEvent): void;
  /** Errors that end the whole run (device lost, out of memory) rather than one panel. */
  isFatal(err: Error): boolean | Promise<boolean>;
  /** Step mode's pacing (step-gate.ts); absent: the rounds run straight through. */
  gate?: StepGate;
  /** Called after every round, before the gate hears of it (the service sends the round's events at once). */
  afterRound?(): void;
  /** Least time between two yields to the event loop between steps (YIELD_INTERVAL_MS when absent; 0: every step). */
  yieldIntervalMs?: number;
}

/**
 * The one generic decode loop: panels advance round-robin, a step each, until each has hit EOS,
 * its token budget, Stop (checked before every step, and inside a step wherever the strategy polls
 * its StopSignal: the step then throws StopRequested and emits nothing) or an error. Strategies commit the tokens they
 * emit to the runners they drive (speculative ones roll back first); the loop commits them to a draft
 * the strategy does not drive (`PanelJob.commitDraft`), records, truncates a step's tokens to the
 * budget and after EOS, counts and streams.
 */
export async function runLoop(o: LoopOptions): Promise<void> {
  const active = new Set(o.jobs);
  const eos = new Set(o.eosIds);
  const yielder = new IntervalYield(o.yieldIntervalMs);
  while (active.size > 0) {
    const stepping = o.gate ? await o.gate.beforeRound(o.interrupted) : false;
    const entries: StepEntry[] = [];
    for (const job of [...active]) {
      if (o.interrupted()) {
        finish(job, 'stopped');
        active.delete(job);
        continue;
      }
      // Let queued messages (Stop, Pause) run between steps, at most every YIELD_INTERVAL_MS: WASM
      // inference never yields on its own, and a yield per step of a small model would cost more
      // than the step.
      await yielder.tick();
      if (o.interrupted()) {
        finish(job, 'stopped');
        active.delete(job);
        continue;
      }
      job.lab?.reset(stepping);
      const { reason, event } = await stepOnce(job, o, eos);
      entries.push({ panel: event.panel, tokens: event.tokens, lab: event.lab ?? null, finishReason: reason });
      if (reason) {
        finish(job, reason);
        active.delete(job);
      }
    }
    o.afterRound?.();
    o.gate?.roundEnded(entries);
  }
  for (const job of o.jobs) job.record.text = o.tokenizer.decode(job.generated);
}

function finish(job: PanelJob, reason: FinishReason): void {
  job.record.stats.finishReason = reason;
}

async function stepOnce(job: PanelJob, o: LoopOptions, eos: Set<number>): Promise<{ reason: FinishReason | null; event: StepEvent }> {
  const stats = job.record.stats;
  const t0 = performance.now();
  let tokens: TokenRecord[] = [];
  let reason: FinishReason | null = null;
  let lab: LabStep | undefined;
  let live: LiveState | undefined;
  try {
    const result = await job.run.step();
    live = result.live;
    if (job.commitDraft) job.draft?.commit(result.tokens.map((t) => t.id));
    const budget = o.maxNewTokens - stats.newTokens;
    let emitted = result.tokens.slice(0, budget);
    const eosAt = emitted.findIndex((t) => eos.has(t.id));
    if (eosAt >= 0) emitted = emitted.slice(0, eosAt + 1);
    const before = job.generated.length;
    if (job.lab?.enabled) lab = labStep(job.lab, o.tokenizer, job.promptIds.concat(job.generated), emitted);
    job.generated.push(...emitted.map((t) => t.id));
    const seq = job.promptIds.concat(job.generated);
    tokens = [];
    for (const [i, t] of emitted.entries()) {
      const at = job.promptIds.length + before + i;
      const prefix = seq.slice(0, at);
      // The token and its alternatives (and lens rows) all read after the same prefix.
      const after = new TextsAfter(o.tokenizer, prefix);
      const rec = toRecord(o.tokenizer, t, after.of(t.id), prefix, after);
      const lens = await job.target.takeLens?.(prefix);
      if (lens) rec.lens = lens.map((l) => ({ layer: l.layer, top: l.ids.map((id, j) => ({ id, text: after.of(id), prob: l.probs[j]! })) }));
      tokens.push(rec);
    }
    if (eosAt >= 0) reason = 'eos';
    else if (stats.newTokens + tokens.length >= o.maxNewTokens) reason = 'max';
  } catch (e) {
    // Stop inside a multi-pass step (StopSignal.checkpoint): the step's tokens are dropped, the panel stops.
    if (e instanceof StopRequested) {
      reason = 'stopped';
    } else {
      const err = toLogitscopeError(e);
      if (await o.isFatal(err)) throw err;
      job.record.error = err.message;
      reason = 'error';
    }
  }
  const t1 = performance.now();
  stats.wallMs += t1 - t0;
  if (tokens.length > 0 && stats.timeToFirstTokenMs === null) stats.timeToFirstTokenMs = stats.wallMs;
  job.record.tokens.push(...tokens);
  stats.newTokens += tokens.length;
  stats.tokensPerSecond = stats.wallMs > 0 ? (1000 * stats.newTokens) / stats.wallMs : 0;
  stats.targetForwards = job.target.forwards;
  stats.draftForwards = job.draft?.forwards ?? 0;
  stats.readbackBytes = job.readouts.reduce((s, r) => s + r.bytes, 0);
  if (reason) stats.finishReason = reason;
  const event: StepEvent = { panel: o.jobs.indexOf(job), tokens, stats: { ...stats }, ...(lab && { lab }), ...(live && { live }) };
  o.emit(event);
  return { reason, event };
}

/**
 * The step's lab rows with their candidates' text (as they would read after `context`). A step that
 * processed no row through the chain (plain greedy, contrastive search, a speculative step verified
 * on raw rows) gets one `record` row per emitted token: the raw softmax of its top list.
 */
function labStep(log: LabLog, tok: Detokenizer, context: readonly number[], emitted: readonly EmittedToken[]): LabStep {
  const rows: LabRowIds[] =
    log.rows.length > 0
      ? log.rows
      : emitted.slice(0, LAB_MAX_ROWS).map((t) => {
          const ids = t.base.topIds.includes(t.id) ? t.base.topIds : [t.id, ...t.base.topIds];
          const logits = ids.map((id) => (id === t.id && !t.base.topIds.includes(id) ? (t.base.tokenLogit ?? -Infinity) : t.base.topLogits[t.base.topIds.indexOf(id)]!));
          return {
            model: 'target' as const,
            candidates: ids,
            stages: [{ id: 'raw', label: 'raw softmax', probs: logits.map((z) => Math.exp(z - t.base.lse)), kept: null }],
            chosen: t.id,
            sampled: false,
            uniform: null,
            source: 'record' as const,
          };
        });
  const after = new TextsAfter(tok, context);
  return {
    rows: rows.map((r) => ({ ...r, candidates: r.candidates.map((id) => ({ id, text: after.of(id) })) })),
    truncated: log.truncated || (log.rows.length === 0 && emitted.length > LAB_MAX_ROWS),
  };
}
