import { expect, test } from '@playwright/test';
import type { PanelSpec, RunRecord } from '../protocol';
import { apiRun, openApp } from './helpers';

// Mirostat v2 (docs/algorithms.md#mirostat) end to end: a `sample` panel with mirostatTau on gives
// the same tokens and kept counts on WebGPU and WASM with the same seed (the processed
// probabilities that drive μ agree to the models' forward rounding: the two backends' logits are not
// bit-identical, plain sampling included); the state is per panel and per run.

const PROMPT = 'Once upon a time';
const N = 32;
const SEED = 2024;

test('sample panels with Mirostat v2: WebGPU == WASM, per-panel state, deterministic', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  const panels: PanelSpec[] = [
    { strategy: 'sample', params: { temperature: 1 } },
    { strategy: 'sample', params: { temperature: 1, mirostatTau: 3, mirostatEta: 0.1 } },
    { strategy: 'sample', params: { temperature: 1.2, mirostatTau: 1.5, mirostatEta: 0.5, repetitionPenalty: 1.2, topK: 3 } },
    { strategy: 'sample', params: { temperature: 1, mirostatTau: 3, mirostatEta: 0.1 } },
  ];
  const request = { prompt: PROMPT, model: 'builtin:stories260k', maxNewTokens: N, seed: SEED, panels };
  const gpu = await apiRun(page, { ...request, backend: 'webgpu' });
  const wasm = await apiRun(page, { ...request, backend: 'wasm' });
  expect(gpu.model.backend).toBe('webgpu');
  expect(wasm.model.backend).toBe('wasm');
  const ids = (r: RunRecord, i: number) => r.panels[i]!.tokens.map((t) => t.id);
  const probs = (r: RunRecord, i: number) => r.panels[i]!.tokens.map((t) => t.annotations.processedProb as number);
  const kept = (r: RunRecord, i: number) => r.panels[i]!.tokens.map((t) => t.annotations.kept as number);
  panels.forEach((_, i) => {
    expect(gpu.panels[i]!.error, `panel ${i}`).toBeUndefined();
    expect(wasm.panels[i]!.error, `panel ${i} on WASM`).toBeUndefined();
    expect(ids(gpu, i).length, `panel ${i}`).toBeGreaterThan(4);
    expect(ids(wasm, i), `panel ${i}: WASM tokens`).toEqual(ids(gpu, i));
    probs(wasm, i).forEach((p, t) => expect(p, `panel ${i} token ${t}: WASM processed probability`).toBeCloseTo(probs(gpu, i)[t]!, 4));
    expect(kept(wasm, i), `panel ${i}: WASM kept counts`).toEqual(kept(gpu, i));
  });
  // Mirostat changes the draws; two panels with the same params each keep their own μ (same seed, same tokens).
  expect(ids(gpu, 1)).not.toEqual(ids(gpu, 0));
  expect(ids(gpu, 3)).toEqual(ids(gpu, 1));
  // μ = 2τ = 3 bits at the start of panel 2: its first step keeps only tokens with p ≥ 1/8 (top-k 3 is skipped, at most 8 survive).
  expect(kept(gpu, 2)[0]).toBeLessThanOrEqual(8);
  // The state is per run: running again repeats the tokens.
  const again = await apiRun(page, { ...request, backend: 'webgpu' });
  panels.forEach((_, i) => expect(ids(again, i), `panel ${i} second run`).toEqual(ids(gpu, i)));
});

test('speculative decoding refuses Mirostat v2 with a bad-request naming mirostatTau', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  const run = apiRun(page, {
    prompt: PROMPT, model: 'builtin:stories260k', draft: 'builtin:stories-draft', maxNewTokens: 4, seed: 1, backend: 'wasm',
    panels: [{ strategy: 'sample', params: { temperature: 1, mirostatTau: 3 } }, { strategy: 'speculative', params: { temperature: 1, mirostatTau: 3 } }],
  });
  await expect(run).rejects.toThrow(/\[bad-request\] mirostatTau: Mirostat v2 is not available with speculative decoding/);
});

test('step mode: the logit lab shows one mirostat stage, and stepping gives the tokens of a straight run', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/?model=builtin:stories260k&mode=step&seed=9&max=6&panels=sample(temperature=0.9;mirostatTau=3;topK=20)&prompt=Once%20upon%20a%20time');
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('url-warnings')).toHaveCount(0);
  // A straight run of the link first, then the same run step by step (each run starts at μ = 2τ).
  const straight = await page.evaluate(() => window.logitscope.run());
  const stepped: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [entry] = await page.evaluate(() => window.logitscope.step());
    const row = entry!.lab!.rows.at(-1)!;
    expect(row.stages.map((s) => s.id)).toEqual(['raw', 'temperature', 'mirostat']);
    if (i === 0) expect(row.stages.at(-1)!.label).toMatch(/^mirostat μ=6 bits/);
    expect(row.sampled).toBe(true);
    const token = entry!.tokens[0]!;
    expect(row.chosen).toBe(token.id);
    expect(row.stages.at(-1)!.kept).toBe(token.annotations.kept);
    stepped.push(token.id);
  }
  expect(straight.panels[0]!.tokens.slice(0, 4).map((t) => t.id)).toEqual(stepped);
});
