import { describe, expect, it } from 'vitest';
import type { RunRequest } from '../../protocol';
import { createAppStore } from '../../app/store';
import type { FrameScheduler } from '../../app/step-batching';
import { record, stats, token } from './fixtures-ui';

const manual = () => {
  const frames: (() => void)[] = [];
  const schedule: FrameScheduler = (cb) => {
    frames.push(cb);
    return () => frames.splice(frames.indexOf(cb), 1);
  };
  return { schedule, run: () => frames.splice(0).forEach((f) => f()) };
};

const request = (panels: RunRequest['panels']): RunRequest => ({ prompt: 'x', model: 'builtin:tiny-llama', maxNewTokens: 4, seed: 0, panels });

describe('store: panel keys tie cards to their own results', () => {
  it('moving a panel after a run keeps each card on its own tokens', () => {
    const f = manual();
    const store = createAppStore(f.schedule);
    const s = () => store.getState();
    s().panelAdded('sample');
    expect(s().panels.map((p) => p.strategy)).toEqual(['greedy', 'sample']);
    const [greedyKey, sampleKey] = s().panelKeys;
    s().runRequested(1, request(s().panels));
    s().workerStateChanged(1, 'running');
    s().stepsReceived(1, [
      { panel: 0, tokens: [token(10, 0.9)], stats: stats(1) },
      { panel: 1, tokens: [token(20, 0.4)], stats: stats(1) },
    ]);
    f.run();
    s().panelMoved(1, -1);
    expect(s().panelKeys).toEqual([sampleKey, greedyKey]);
    const viewOf = (key: string | undefined) => s().panelViews?.[s().viewKeys?.indexOf(key ?? '') ?? -1];
    expect(viewOf(s().panelKeys[0])?.tokens[0]?.id).toBe(20);
    expect(viewOf(s().panelKeys[1])?.tokens[0]?.id).toBe(10);
  });

  it('a run that ends before the next frame keeps the live state of its last step (beam search’s finished hypotheses)', () => {
    const f = manual();
    const store = createAppStore(f.schedule);
    const s = () => store.getState();
    s().runRequested(1, request(s().panels));
    s().workerStateChanged(1, 'running');
    const running = { step: 1, done: false, hypotheses: [{ text: ' a', score: -1, state: 'running' as const, group: 0 }] };
    s().stepsReceived(1, [{ panel: 0, tokens: [], stats: stats(0), live: running }]);
    f.run();
    expect(s().panelViews?.[0]?.live).toEqual(running);
    // The last step's event and the record arrive within one frame.
    const done = { step: 2, done: true, hypotheses: [{ text: '', score: -0.5, state: 'finished' as const, group: 0 }] };
    s().stepsReceived(1, [{ panel: 0, tokens: [token(10, 0.9)], stats: stats(1), live: done }]);
    s().runFinished(1, record([{ strategy: 'greedy', params: {}, text: '', tokens: [token(10, 0.9)], stats: stats(1) }]));
    expect(s().panelViews?.[0]?.live).toEqual(done);
    expect(s().panelViews?.[0]?.tokens.map((t) => t.id)).toEqual([10]);
  });

  it('lists replaced wholesale get fresh keys; duplicates get their own', () => {
    const store = createAppStore(manual().schedule);
    const s = () => store.getState();
    const before = s().panelKeys;
    s().panelsChanged([{ strategy: 'greedy', params: {} }]);
    expect(s().panelKeys).toHaveLength(1);
    expect(s().panelKeys[0]).not.toBe(before[0]);
    s().panelDuplicated(0);
    expect(new Set(s().panelKeys).size).toBe(2);
    s().panelParamChanged(1, 'temperature', 0.5);
    expect(s().panels[1]).toEqual({ strategy: 'greedy', params: { temperature: 0.5 } });
  });

  it('an imported record fills the form and the panels, and is refused during a run', () => {
    const store = createAppStore(manual().schedule);
    const s = () => store.getState();
    const rec = {
      ...record([{ strategy: 'sample', params: { temperature: 0.3 }, text: '', tokens: [token(5, 0.2)], stats: stats(1) }]),
      seed: 42,
      prompt: 'Imported',
    };
    s().recordImported(rec, 'run.json');
    expect(s()).toMatchObject({ prompt: 'Imported', seed: '42', runState: 'done', imported: { fileName: 'run.json' }, lastRecord: rec });
    expect(s().panels).toEqual([{ strategy: 'sample', params: { temperature: 0.3 } }]);
    expect(s().viewKeys).toEqual(s().panelKeys);
    expect(s().panelViews?.[0]?.tokens[0]?.id).toBe(5);
    s().runRequested(2, request(s().panels));
    // The imported run stays on screen until the new run streams (a failed load loses nothing).
    expect(s().imported).not.toBeNull();
    s().workerStateChanged(2, 'running');
    expect(s().imported).toBeNull();
    s().recordImported({ ...rec, prompt: 'Other' }, 'b.json');
    expect(s().prompt).toBe('Imported');
  });
});
