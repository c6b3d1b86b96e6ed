import { describe, expect, it } from 'vitest';
import { DownloadTracker, PROGRESS_INTERVAL_MS } from '../../workers/model/download-progress';
import type { LoadProgress } from '../../protocol';

function setup() {
  let t = 0;
  const events: LoadProgress[] = [];
  const tracker = new DownloadTracker('m', ['config.json', 'onnx/'], (p) => events.push(p), () => t);
  return { tracker, events, advance: (ms: number) => (t += ms) };
}

describe('DownloadTracker', () => {
  it('keeps the percentage unknown until every planned file has a size, then reports the total', () => {
    const { tracker, advance } = setup();
    tracker.update('config.json', 100, 100, false);
    tracker.finish('config.json');
    expect(tracker.snapshot('fetching').percent).toBeNull();
    tracker.rename('onnx/', ['onnx/model.onnx', 'onnx/model.onnx_data']);
    advance(200);
    tracker.update('onnx/model.onnx', 50, 400, false);
    expect(tracker.snapshot('fetching').percent).toBeNull(); // the data file's size is not known yet
    tracker.update('onnx/model.onnx_data', 0, 500, false);
    const p = tracker.snapshot('fetching');
    expect(p.total).toBe(1000);
    expect(p.loaded).toBe(150);
    expect(p.percent).toBeCloseTo(15);
    expect(p.filesTotal).toBe(3);
    expect(p.filesDone).toBe(1);
    expect(p.files?.map((f) => [f.name, f.status])).toEqual([
      ['config.json', 'done'],
      ['onnx/model.onnx', 'fetching'],
      ['onnx/model.onnx_data', 'fetching'],
    ]);
  });

  it('measures the network rate over time and leaves cached reads out', () => {
    const { tracker, advance } = setup();
    tracker.update('onnx/', 0, 10_000, false);
    advance(500);
    tracker.update('onnx/', 5_000, 10_000, false);
    expect(tracker.snapshot('fetching').bytesPerSecond).toBeCloseTo(10_000);
    const cached = setup();
    cached.tracker.update('onnx/', 0, 10_000, true);
    cached.advance(500);
    cached.tracker.update('onnx/', 5_000, 10_000, true);
    expect(cached.tracker.snapshot('fetching').bytesPerSecond).toBe(0);
    expect(cached.tracker.snapshot('cached').bytesPerSecond).toBeNull();
  });

  it('throttles chunk events but always sends completions', () => {
    const { tracker, events, advance } = setup();
    tracker.update('onnx/', 1, 100, false);
    tracker.update('onnx/', 2, 100, false);
    tracker.update('onnx/', 3, 100, false);
    expect(events).toHaveLength(1);
    advance(PROGRESS_INTERVAL_MS);
    tracker.update('onnx/', 4, 100, false);
    expect(events).toHaveLength(2);
    tracker.finish('onnx/');
    expect(events).toHaveLength(3);
    expect(events.at(-1)?.status).toBe('done');
  });

  it('drops a skipped optional file from the plan', () => {
    const { tracker } = setup();
    tracker.skip('config.json');
    expect(tracker.snapshot('fetching').filesTotal).toBe(1);
  });
});
