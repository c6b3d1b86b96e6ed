import { describe, expect, it, vi } from 'vitest';
import { runLoop, type PanelJob } from '../../workers/decode/loop';
import { LogitscopeError } from '../../workers/errors';
import { StopCheck, StopRequested, TIMER_YIELD_INTERVAL_MS, YIELD_INTERVAL_MS, yieldToEventLoop } from '../../workers/decode/stop';
import type { StepEvent } from '../../protocol';
import { Rng } from '../../workers/rng';
import { greedy } from '../../strategies/base/worker/greedy';
import type { StrategyRun } from '../../strategies/types';
import { FakeSequence, letters, summarise } from './fakes';

const V = 10;
/** Next token is (last + 1) mod 9, with a margin; EOS (9) only after token 8 when `eosAfter8`. */
function cycle(eosAfter8: boolean) {
  return (ids: number[]) => {
    const last = ids[ids.length - 1]!;
    const want = last === 8 && eosAfter8 ? 9 : (last + 1) % 9;
    return Array.from({ length: V }, (_, i) => (i === want ? 3 : -i * 0.01));
  };
}

function job(seq: FakeSequence, run?: StrategyRun): PanelJob {
  return {
    run: run ?? greedy.start({ params: {}, target: seq, draft: null, rng: new Rng(1), topK: 10 }),
    target: seq,
    draft: null,
    readouts: [],
    promptIds: [...seq.ids],
    generated: [],
    record: { strategy: 'greedy', params: {}, text: '', tokens: [], stats: { newTokens: 0, targetForwards: 0, draftForwards: 0, wallMs: 0, tokensPerSecond: 0, readbackBytes: 0, finishReason: null, timeToFirstTokenMs: null } },
  };
}

function loop(jobs: PanelJob[], maxNewTokens: number, extra: { interrupted?: () => boolean; events?: StepEvent[] } = {}) {
  return runLoop({
    jobs,
    maxNewTokens,
    tokenizer: letters,
    eosIds: [9],
    interrupted: extra.interrupted ?? (() => false),
    emit: (e) => extra.events?.push(e),
    isFatal: (e) => /device-lost/.test(e.message),
  });
}

describe('decode loop with greedy on a fake model', () => {
  it('stops at max new tokens, feeding the prompt once and then one token per step', async () => {
    const seq = new FakeSequence([0, 1], cycle(false));
    const j = job(seq);
    await loop([j], 5);
    expect(j.record.tokens.map((t) => t.id)).toEqual([2, 3, 4, 5, 6]);
    expect(j.record.stats.finishReason).toBe('max');
    expect(seq.feeds).toEqual([[0, 1], [2], [3], [4], [5]]);
    expect(j.record.stats.targetForwards).toBe(5);
    expect(j.record.text).toBe('cdefg');
  });

  it('stops on EOS and keeps the EOS token', async () => {
    const j = job(new FakeSequence([6], cycle(true)));
    await loop([j], 50);
    expect(j.record.tokens.map((t) => t.id)).toEqual([7, 8, 9]);
    expect(j.record.stats.finishReason).toBe('eos');
  });

  it('records base probabilities from the raw softmax', async () => {
    const j = job(new FakeSequence([0], cycle(false)));
    await loop([j], 1);
    const s = summarise(cycle(false)([0]));
    const t = j.record.tokens[0]!;
    expect(t.prob).toBeCloseTo(Math.exp(3 - s.lse), 12);
    expect(t.logprob).toBeCloseTo(3 - s.lse, 12);
    expect(t.entropy).toBeCloseTo(s.entropy, 12);
    expect(t.top).toHaveLength(10);
    expect(t.top[0]!.id).toBe(1);
  });

  it('breaks ties towards the lower token id', async () => {
    const j = job(new FakeSequence([0], () => [0, 1, 5, 5, 5, 0, 0, 0, 0, 0]));
    await loop([j], 1);
    expect(j.record.tokens[0]!.id).toBe(2);
  });

  it('truncates a multi-token step to the budget and after EOS', async () => {
    const seq = new FakeSequence([0], cycle(false));
    const row = summarise([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const burst: StrategyRun = { step: async () => ({ tokens: [1, 9, 2, 3].map((id) => ({ id, base: row, annotations: {} })) }) };
    const a = job(seq, burst);
    await loop([a], 10);
    expect(a.record.tokens.map((t) => t.id)).toEqual([1, 9]);
    expect(a.record.stats.finishReason).toBe('eos');
    const b = job(new FakeSequence([0], cycle(false)), burst);
    await loop([b], 1);
    expect(b.record.tokens.map((t) => t.id)).toEqual([1]);
    expect(b.record.stats.finishReason).toBe('max');
  });

  it('advances panels round-robin and streams one event per step', async () => {
    const events: StepEvent[] = [];
    const a = job(new FakeSequence([0], cycle(false)));
    const b = job(new FakeSequence([4], cycle(false)));
    await loop([a, b], 3, { events });
    expect(events.map((e) => e.panel)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(events.every((e) => e.tokens.length === 1)).toBe(true);
  });

  it('Stop ends every panel within one step and keeps its tokens', async () => {
    let steps = 0;
    const events: StepEvent[] = [];
    const a = job(new FakeSequence([0], cycle(false)));
    const b = job(new FakeSequence([0], cycle(false)));
    await loop([a, b], 100, { interrupted: () => steps >= 3, events: { push: (e: StepEvent) => { steps++; return events.push(e); } } as unknown as StepEvent[] });
    expect(a.record.stats.finishReason).toBe('stopped');
    expect(b.record.stats.finishReason).toBe('stopped');
    expect(a.record.tokens.length + b.record.tokens.length).toBe(3);
  });

  it('Stop inside a step (StopRequested) ends the panel as stopped, emits nothing of that step, records no error', async () => {
    let calls = 0;
    const inner = greedy.start({ params: {}, target: new FakeSequence([0], cycle(false)), draft: null, rng: new Rng(1), topK: 10 });
    const stoppable: StrategyRun = {
      step: async () => {
        if (++calls === 3) throw new StopRequested();
        return inner.step();
      },
    };
    const a = job(new FakeSequence([0], cycle(false)), stoppable);
    const b = job(new FakeSequence([0], cycle(false)));
    await loop([a, b], 5);
    expect(a.record.stats.finishReason).toBe('stopped');
    expect(a.record.error).toBeUndefined();
    expect(a.record.tokens).toHaveLength(2);
    expect(b.record.tokens).toHaveLength(5);
  });

  it('a failing panel records its error while the others finish; a fatal error ends the run', async () => {
    const broken: StrategyRun = { step: async () => { throw new Error('boom'); } };
    const a = job(new FakeSequence([0], cycle(false)), broken);
    const b = job(new FakeSequence([0], cycle(false)));
    await loop([a, b], 4);
    expect(a.record.stats.finishReason).toBe('error');
    expect(a.record.error).toContain('boom');
    expect(b.record.tokens).toHaveLength(4);
    const lost: StrategyRun = { step: async () => { throw new LogitscopeError('device-lost', 'gone'); } };
    await expect(loop([job(new FakeSequence([0], cycle(false)), lost)], 4)).rejects.toThrow(/device-lost/);
  });
});

describe('the loop keeps a draft the strategy does not drive in step', () => {
  it('commits every emitted token to the draft (strategies never do), and leaves a driven draft alone', async () => {
    const target = new FakeSequence([0, 1], cycle(false));
    const draft = new FakeSequence([0, 1], cycle(false));
    const followed = { ...job(target), draft, commitDraft: true };
    await loop([followed], 4);
    expect(target.ids).toEqual([0, 1, 2, 3, 4, 5]);
    expect(draft.ids).toEqual(target.ids);
    expect(draft.forwards).toBe(0);

    // A multi-token step is committed whole, as the strategy emitted it (the panel ends at the cut).
    const row = summarise([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const burst: StrategyRun = { step: async () => ({ tokens: [1, 2, 3].map((id) => ({ id, base: row, annotations: {} })) }) };
    const burstDraft = new FakeSequence([0], cycle(false));
    await loop([{ ...job(new FakeSequence([0], cycle(false)), burst), draft: burstDraft, commitDraft: true }], 8);
    expect(burstDraft.ids.slice(0, 4)).toEqual([0, 1, 2, 3]);

    const driven = new FakeSequence([0, 1], cycle(false));
    await loop([{ ...job(new FakeSequence([0, 1], cycle(false))), draft: driven, commitDraft: false }], 4);
    expect(driven.ids).toEqual([0, 1]);
  });
});

describe('StopCheck', () => {
  it('yields to the event loop at most every interval, so a queued Stop gets in, then throws', async () => {
    let stopped = false;
    const check = new StopCheck(() => stopped);
    await check.checkpoint();
    // Stop arrives as a message (Comlink's postMessage from the page), queued while the pass runs.
    const stop = new MessageChannel();
    stop.port1.onmessage = () => {
      stopped = true;
      stop.port1.close();
    };
    stop.port2.postMessage('stop');
    const t0 = performance.now();
    while (performance.now() - t0 < YIELD_INTERVAL_MS + 1) {
      // A busy pass, as WASM inference is.
    }
    // Node serves its ports in their creation order, not the order of their messages: the checkpoints
    // of a pass that keeps running let the Stop in within TIMER_YIELD_INTERVAL_MS (a timer yield).
    const t1 = performance.now();
    let thrown: unknown = null;
    while (thrown === null && performance.now() - t1 < TIMER_YIELD_INTERVAL_MS + 2 * YIELD_INTERVAL_MS + 50) {
      const t2 = performance.now();
      while (performance.now() - t2 < YIELD_INTERVAL_MS + 1) {
        // the next busy pass
      }
      thrown = await check.checkpoint().then(() => null, (e: unknown) => e);
    }
    expect(thrown).toBeInstanceOf(StopRequested);
  });

  it('yields through a message channel, not a timer: nested timers are clamped to 4 ms each', async () => {
    // A deep chain of yields, as the decode loop makes (one per step). setTimeout(0) set from a
    // timer callback is clamped to ≥ 4 ms once nested five deep; only one yield per
    // TIMER_YIELD_INTERVAL_MS may use a timer.
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) await yieldToEventLoop();
      const elapsed = performance.now() - t0;
      expect(timers.mock.calls.length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / TIMER_YIELD_INTERVAL_MS));
      expect(timers.mock.calls.length).toBeLessThan(100);
    } finally {
      timers.mockRestore();
    }
  });
});
