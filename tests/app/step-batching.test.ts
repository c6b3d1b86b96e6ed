import { describe, expect, it } from 'vitest';
import type { LabStep, PanelStats, RunRecord, StepEvent, TokenRecord } from '../../protocol';
import { applyStepEvents, emptyViews, FrameBatcher, viewsFromRecord, viewsFromRecordKeeping, type FrameScheduler } from '../../app/step-batching';

const tok = (id: number): TokenRecord => ({ id, text: `t${id}`, prob: 0.5, logprob: Math.log(0.5), entropy: 1, top: [], annotations: {} });
const stats = (newTokens: number): PanelStats => ({
  newTokens,
  targetForwards: newTokens,
  draftForwards: 0,
  wallMs: 10 * newTokens,
  tokensPerSecond: 100,
  readbackBytes: 0,
  finishReason: null,
  timeToFirstTokenMs: 5,
});
const ev = (panel: number, ids: number[], n: number): StepEvent => ({ panel, tokens: ids.map(tok), stats: stats(n) });

describe('applyStepEvents', () => {
  const views = emptyViews([
    { strategy: 'greedy', params: {} },
    { strategy: 'speculative', params: { k: 4 } },
  ]);

  it('keeps the lab of the last step: a stepped one shows it, a step taken running clears it, the final record keeps it', () => {
    const lab: LabStep = { rows: [{ model: 'target', candidates: [{ id: 1, text: 'a' }], stages: [{ id: 'raw', label: 'raw softmax', probs: [0.5], kept: 3 }], chosen: 1, sampled: false, uniform: null, source: 'chain' }], truncated: false };
    const stepped = applyStepEvents(views, [{ ...ev(0, [1], 1), lab }]);
    expect(stepped[0]?.lab).toBe(lab);
    expect(stepped[1]?.lab).toBeUndefined();
    const kept = viewsFromRecordKeeping(stepped, { panels: [{ strategy: 'greedy', params: {}, text: '', tokens: stepped[0]!.tokens, stats: stats(1) }] } as unknown as RunRecord);
    expect(kept[0]?.lab).toBe(lab);
    expect(applyStepEvents(stepped, [ev(0, [2], 2)])[0]?.lab).toBeNull();
  });

  it('keeps the live hypotheses of the last step that reported them, through steps without and the final record', () => {
    const live = { step: 3, done: false, hypotheses: [{ text: ' a', score: -1.5, state: 'running' as const, group: 0 }] };
    const after = applyStepEvents(views, [{ ...ev(1, [], 0), live }]);
    expect(after[1]?.live).toBe(live);
    expect(after[0]?.live).toBeUndefined();
    // A step that emits tokens without a new state keeps the last one on screen.
    const later = applyStepEvents(after, [ev(1, [4], 1)]);
    expect(later[1]?.live).toBe(live);
    const done = { ...live, step: 5, done: true };
    const ended = applyStepEvents(later, [{ ...ev(1, [5], 2), live: done }]);
    expect(ended[1]?.live).toBe(done);
    const record = { panels: [{ strategy: 'greedy', params: {}, text: '', tokens: [], stats: stats(0) }, { strategy: 'beam', params: {}, text: '', tokens: [tok(9)], stats: stats(1) }] } as unknown as RunRecord;
    expect(viewsFromRecordKeeping(ended, record)[1]?.live).toBe(done);
  });

  it('appends tokens in arrival order and keeps the last stats', () => {
    const next = applyStepEvents(views, [ev(0, [1], 1), ev(1, [7, 8], 2), ev(0, [2, 3], 3)]);
    expect(next[0]?.tokens.map((t) => t.id)).toEqual([1, 2, 3]);
    expect(next[0]?.stats?.newTokens).toBe(3);
    expect(next[1]?.tokens.map((t) => t.id)).toEqual([7, 8]);
  });

  it('does not mutate its input and keeps untouched panels identical', () => {
    const first = applyStepEvents(views, [ev(0, [1], 1)]);
    const second = applyStepEvents(first, [ev(0, [2], 2)]);
    expect(views[0]?.tokens).toEqual([]);
    expect(first[0]?.tokens.map((t) => t.id)).toEqual([1]);
    expect(second[1]).toBe(first[1]);
    expect(second[0]).not.toBe(first[0]);
  });

  it('ignores events for panels that do not exist', () => {
    expect(applyStepEvents(views, [ev(5, [1], 1), ev(-1, [1], 1)])).toBe(views);
  });

  it('builds views from a finished record', () => {
    const record = {
      panels: [{ strategy: 'greedy', params: {}, text: 't1', tokens: [tok(1)], stats: stats(1), error: 'boom' }],
    } as unknown as RunRecord;
    expect(viewsFromRecord(record)).toEqual([{ spec: { strategy: 'greedy', params: {} }, tokens: [tok(1)], stats: stats(1), error: 'boom' }]);
  });
});

function manualScheduler() {
  const frames: (() => void)[] = [];
  let cancelled = 0;
  const schedule: FrameScheduler = (cb) => {
    frames.push(cb);
    return () => {
      const i = frames.indexOf(cb);
      if (i >= 0) frames.splice(i, 1);
      cancelled++;
    };
  };
  return { frames, schedule, cancelled: () => cancelled, runFrame: () => frames.shift()?.() };
}

describe('FrameBatcher', () => {
  it('applies every push of a frame in one call, in order', () => {
    const s = manualScheduler();
    const applied: number[][] = [];
    const b = new FrameBatcher<number>(s.schedule, (items) => applied.push(items));
    b.push([1, 2]);
    b.push([3]);
    b.push([]);
    expect(s.frames.length).toBe(1);
    expect(applied).toEqual([]);
    s.runFrame();
    expect(applied).toEqual([[1, 2, 3]]);
    b.push([4]);
    expect(s.frames.length).toBe(1);
    s.runFrame();
    expect(applied).toEqual([[1, 2, 3], [4]]);
  });

  it('flush applies now and cancels the pending frame', () => {
    const s = manualScheduler();
    const applied: number[][] = [];
    const b = new FrameBatcher<number>(s.schedule, (items) => applied.push(items));
    b.push([1]);
    b.flush();
    expect(applied).toEqual([[1]]);
    expect(s.frames.length).toBe(0);
    b.flush();
    expect(applied).toEqual([[1]]);
  });

  it('clear drops buffered items', () => {
    const s = manualScheduler();
    const applied: number[][] = [];
    const b = new FrameBatcher<number>(s.schedule, (items) => applied.push(items));
    b.push([1, 2]);
    b.clear();
    expect(b.size).toBe(0);
    expect(s.cancelled()).toBe(1);
    b.push([3]);
    s.runFrame();
    expect(applied).toEqual([[3]]);
  });
});

describe('viewsFromRecordKeeping', () => {
  it('keeps the streamed token arrays that match the record, takes the record elsewhere', async () => {
    const { viewsFromRecordKeeping } = await import('../../app/step-batching');
    const { record, stats, token } = await import('./fixtures-ui');
    const s = stats(2);
    const streamed = [
      { spec: { strategy: 'greedy', params: {} }, tokens: [token(1, 0.5), token(2, 0.5)], stats: null, error: null },
      { spec: { strategy: 'greedy', params: {} }, tokens: [token(1, 0.5)], stats: null, error: null },
    ];
    const rec = record([
      { strategy: 'greedy', params: { temperature: 0 }, text: '', tokens: [token(1, 0.5), token(2, 0.5)], stats: s },
      { strategy: 'greedy', params: {}, text: '', tokens: [token(1, 0.5), token(3, 0.5)], stats: s },
    ]);
    const out = viewsFromRecordKeeping(streamed, rec);
    expect(out[0]!.tokens).toBe(streamed[0]!.tokens);
    expect(out[0]!.stats).toBe(s);
    expect(out[0]!.spec.params).toEqual({ temperature: 0 });
    expect(out[1]!.tokens).toBe(rec.panels[1]!.tokens);
    expect(viewsFromRecordKeeping(null, rec)[0]!.tokens).toBe(rec.panels[0]!.tokens);
  });
});
