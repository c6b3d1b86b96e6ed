import { toLogitscopeError } from '../errors';
import type { FinishReason, PanelRecord, StepEvent, TokenRecord } from '../../protocol';
import type { StrategyRun } from './step';
import { toRecord, tokenText, type Detokenizer } from './records';
import type { TokenSequence } from './sequence';
import { StopRequested, yieldToEventLoop } from './stop';

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
  while (active.size > 0) {
    for (const job of [...active]) {
      if (o.interrupted()) {
        finish(job, 'stopped');
        active.delete(job);
        continue;
      }
      // Let queued messages (Stop) run between steps: WASM inference never yields on its own.
      await yieldToEventLoop();
      if (o.interrupted()) {
        finish(job, 'stopped');
        active.delete(job);
        continue;
      }
      const reason = await stepOnce(job, o, eos);
      if (reason) {
        finish(job, reason);
        active.delete(job);
      }
    }
  }
  for (const job of o.jobs) job.record.text = o.tokenizer.decode(job.generated);
}

function finish(job: PanelJob, reason: FinishReason): void {
  job.record.stats.finishReason = reason;
}

async function stepOnce(job: PanelJob, o: LoopOptions, eos: Set<number>): Promise<FinishReason | null> {
  const stats = job.record.stats;
  const t0 = performance.now();
  let tokens: TokenRecord[] = [];
  let reason: FinishReason | null = null;
  try {
    const result = await job.run.step();
    if (job.commitDraft) job.draft?.commit(result.tokens.map((t) => t.id));
    const budget = o.maxNewTokens - stats.newTokens;
    let emitted = result.tokens.slice(0, budget);
    const eosAt = emitted.findIndex((t) => eos.has(t.id));
    if (eosAt >= 0) emitted = emitted.slice(0, eosAt + 1);
    const before = job.generated.length;
    job.generated.push(...emitted.map((t) => t.id));
    const seq = job.promptIds.concat(job.generated);
    tokens = emitted.map((t, i) => {
      const at = job.promptIds.length + before + i;
      return toRecord(o.tokenizer, t, tokenText(o.tokenizer, seq, at), seq.slice(0, at));
    });
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
  o.emit({ panel: o.jobs.indexOf(job), tokens, stats: { ...stats } });
  return reason;
}
