import { expect, test } from '@playwright/test';
import { runBench } from '../scripts/bench/measure';

/** Every number in the result must be finite (a NaN or Infinity means a figure was not measured). */
function nonFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

test('benchmark harness smoke run: one repeat, a few tokens, every field finite', async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const r = await runBench(page, baseURL!, {
    backend: 'webgpu',
    tokens: 4,
    repeats: 1,
    model: 'builtin:tiny-llama',
    folder: '/models/builtin/tiny-llama/',
    draft: 'builtin:tiny-llama-draft',
    prompt: 'the cat sat on the mat. the cat',
    kernelRows: [4096],
    kernelBatches: [1, 4],
    kernelIters: 1,
    uiPanels: 2,
    uiTokens: 4,
  });
  expect(nonFinite(r)).toEqual([]);
  const ids = r.strategies.map((s) => s.strategy);
  expect(ids[0]).toBe('greedy');
  expect(ids).toContain('speculative');
  // tiny-llama has no superposed-input graph: superposed decoding is skipped with the reason, not run.
  expect(ids).not.toContain('superposed');
  expect(r.skipped?.find((s) => s.strategy === 'superposed')?.reason).toMatch(/no superposed-input graph/);
  for (const s of r.strategies) {
    expect(s.tokensPerSecond.median).toBeGreaterThan(0);
    // The whole run as the page waits for it holds every step and more.
    expect(s.endToEndTokensPerSecond!.median, s.strategy).toBeGreaterThan(0);
    expect(s.endToEndTokensPerSecond!.median, s.strategy).toBeLessThanOrEqual(s.tokensPerSecond.median);
    // Every token costs a forward of some model (EAD's first tokens may all come from the draft).
    expect(s.targetForwardsPerToken.median + s.draftForwardsPerToken.median, s.strategy).toBeGreaterThan(0);
    if (s.strategy !== 'ead') expect(s.targetForwardsPerToken.median, s.strategy).toBeGreaterThan(0);
    expect(s.readbackBytesPerToken.median).toBeGreaterThan(0);
  }
  // Greedy on WebGPU submits at least the forward pass and one readout per token; of those, ours
  // (the readout) are at most one per token and the rest are ORT's.
  const greedy = r.strategies[0]!;
  expect(greedy.submitsPerToken.median).toBeGreaterThanOrEqual(2);
  expect(greedy.ourSubmitsPerToken!.median).toBeGreaterThan(0);
  expect(greedy.ourSubmitsPerToken!.median).toBeLessThanOrEqual(1);
  expect(greedy.ortSubmitsPerToken!.median).toBeGreaterThanOrEqual(1);
  for (const s of r.strategies) expect(s.ourSubmitsPerToken!.median + s.ortSubmitsPerToken!.median).toBeCloseTo(s.submitsPerToken.median, 6);
  expect(r.baseline?.sameGreedyTokens).toBe(true);
  expect(r.baseline!.greedyRatio.median).toBeLessThanOrEqual(r.baseline!.decodeRatio!.median);
  expect(r.kernels).toHaveLength(2);
  expect(r.kernels.every((k) => k.gpuBytes < k.fullBytes)).toBe(true);
  expect(r.ui?.frames).toBeGreaterThan(0);
});
