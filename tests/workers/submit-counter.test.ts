import { afterEach, describe, expect, it, vi } from 'vitest';

// The worker's submit counter tells our command buffers (labels ending in '.commands') from ORT's
// (unlabelled), for the benchmark's "our / ORT submits per token".

class FakeQueue {
  readonly seen: unknown[][] = [];
  submit(buffers: Iterable<unknown>): void {
    this.seen.push([...buffers]);
  }
}

const buffer = (label: string) => ({ label }) as unknown as GPUCommandBuffer;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('submit counter', () => {
  it('counts every submit and ours apart, and passes the buffers through', async () => {
    vi.stubGlobal('GPUQueue', FakeQueue);
    const counter = await import('../../workers/runtime/submit-counter');
    counter.installSubmitCounter();
    counter.installSubmitCounter();
    const q = new FakeQueue() as unknown as GPUQueue & FakeQueue;
    q.submit([buffer('')]);
    q.submit([buffer('sampleRow.commands')]);
    q.submit(new Set([buffer(''), buffer('kvSlice.commands')]));
    q.submit([buffer('rowReadout.encoder')]);
    expect(counter.submitCount()).toBe(4);
    expect(counter.ourSubmitCount()).toBe(2);
    expect(q.seen.map((b) => b.length)).toEqual([1, 1, 2, 1]);
  });

  it('labels of our submit sites end in the suffix', async () => {
    const { isOurSubmit } = await import('../../workers/runtime/submit-counter');
    for (const label of ['rowReadout.commands', 'sampleRow.commands', 'kvSlice.commands', 'grad.tokenLogits.commands']) expect(isOurSubmit([buffer(label)])).toBe(true);
    expect(isOurSubmit([buffer('')])).toBe(false);
  });
});
