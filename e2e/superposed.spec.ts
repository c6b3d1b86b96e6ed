// Superposed decoding (issue #14 item 4) on the trained built-in stories260K in the page, on WASM and on
// WebGPU: k = 1, α = 0 is greedy (the one-hot superposition through the model's superposed-input graph is
// the token's embedding); the defaults (k = 3) run one forward per step and carry 3 drafts whose
// superposition weights sum to 1; the live panel lists the drafts and the popover the detail; a model
// without the superposed-input graph refuses the panel with a reason.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { apiRun, openApp, openDefault, panelIds, storiesRun } from './helpers';
import type { RunRequest, SuperposedAnnotations } from '../protocol';

const N = 24;

test('superposed decoding on WASM and WebGPU: k = 1, α = 0 is greedy; k = 3 holds 3 drafts from one forward per step', async ({ page }) => {
  await openDefault(page);
  const texts: Record<string, string> = {};
  for (const backend of ['wasm', 'webgpu'] as const) {
    const r = await storiesRun(page, backend, N, [
      { strategy: 'greedy', params: {} },
      { strategy: 'superposed', params: { n: 1, alpha: 0 } },
      { strategy: 'superposed', params: {} },
    ]);
    expect(r.model.backend).toBe(backend);
    for (const p of [1, 2]) expect(r.panels[p]!.error).toBeUndefined();
    expect(panelIds(r, 0).length).toBeGreaterThan(4);
    expect(panelIds(r, 1)).toEqual(panelIds(r, 0));
    const panel = r.panels[2]!;
    expect(panel.tokens.length).toBeGreaterThan(4);
    const anns = panel.tokens.map((t) => t.annotations as SuperposedAnnotations);
    anns.forEach((a, i) => {
      expect(a.kind).toBe('superposed');
      expect(a.step).toBe(i);
      expect(a.k).toBe(3);
      expect(a.candidates.length).toBeGreaterThan(0);
      expect(a.candidates.length).toBeLessThanOrEqual(6);
      // The emitted token is one of the step's candidates, on the draft the output followed, and kept.
      const c = a.candidates[a.rank]!;
      expect(c.onOutput).toBe(true);
      expect(c.id).toBe(panel.tokens[i]!.id);
      for (const x of a.candidates) expect(x.lmProb).toBeGreaterThan(0);
      if (i === 0) {
        expect(a.mix).toEqual([]);
        expect(a.drafts.length).toBe(1);
      } else {
        expect(a.mix.every((m) => m.weight > 0)).toBe(true);
        expect(Math.abs(a.mix.reduce((s, m) => s + m.weight, 0) - 1)).toBeLessThan(1e-6);
        expect(Math.abs(a.drafts.reduce((s, d) => s + d.weight, 0) - 1)).toBeLessThan(1e-6);
      }
    });
    // After the first step the search holds 3 drafts (the corpus supports at least some of them).
    expect(anns.slice(1).some((a) => a.drafts.length === 3)).toBe(true);
    expect(anns[0]!.corpus!.tokens).toBeGreaterThan(100);
    const last = anns.at(-1)!;
    expect(last.final).toBeDefined();
    // One forward per step: the prompt, then one superposed position per new token.
    expect(panel.stats.targetForwards).toBe(anns.length);
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) => `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    console.log(`superposed k=3 on ${backend}: ${per(panel.stats)} vs greedy ${per(r.panels[0]!.stats)}; k=1 α=0: ${per(r.panels[1]!.stats)}; text: ${JSON.stringify(panel.text)}; drafts at the end: ${JSON.stringify(last.final!.running.map((d) => d.text))}`);
    texts[backend] = panel.text;
  }
  expect(texts.webgpu).toBe(texts.wasm);
});

test('the page: the drafts under the panel, the popover detail, the legend; a model without the graph is refused', async ({ page }) => {
  await page.goto(`/?model=builtin:stories260k&backend=webgpu&panels=${'superposed'}&prompt=${encodeURIComponent('Once upon a time')}&max=10`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  const live = page.getByTestId('superposed-live-0');
  await expect(live).toBeVisible();
  await expect(live.locator('[data-testid="superposed-live-draft"][data-state="running"]')).toHaveCount(3);
  await expect(live.locator('[data-output]')).toHaveCount(1);
  await page.getByTestId('panel-0').getByTestId('tokens').locator('[data-index="2"]').hover();
  await expect(page.getByTestId('superposed-summary')).toContainText('k = 3');
  await expect(page.getByTestId('superposed-draft').first()).toBeVisible();
  // The drafts before step 3: between 1 and k (a draft without n-gram support may drop out).
  const drafts = await page.getByTestId('superposed-draft').count();
  expect(drafts).toBeGreaterThanOrEqual(1);
  expect(drafts).toBeLessThanOrEqual(3);
  await expect(page.getByTestId('superposed-mix').first()).toBeVisible();
  expect(await page.getByTestId('superposed-candidate').count()).toBeGreaterThan(0);
  await page.mouse.move(0, 0);
  await page.getByTestId('heatmap-provenance').check();
  await expect(page.getByTestId('legend')).toContainText('superposed');
  // tiny-llama is no llama2.c conversion: no superposed-input graph.
  const r = await apiRun(page, { prompt: 'Hello', maxNewTokens: 4, seed: 1, backend: 'wasm', model: 'builtin:tiny-llama', draft: null, panels: [{ strategy: 'greedy', params: {} }, { strategy: 'superposed', params: {} }] });
  expect(r.panels[0]!.tokens.length).toBe(4);
  expect(r.panels[1]!.error ?? '').toMatch(/superposed-input graph/);
});

test('superposed runs on WebGPU leave the live GPU buffers flat (the run’s own KV cache is freed)', async ({ page }) => {
  await openDefault(page);
  const panels: RunRequest['panels'] = [
    { strategy: 'superposed', params: {} },
    { strategy: 'superposed', params: { n: 1, alpha: 0 } },
  ];
  // The warm-up compiles the superposed-input graph and the kernels that live as long as the device.
  await storiesRun(page, 'webgpu', 8, panels);
  const before = await page.evaluate(() => window.logitscope.gpuStats());
  for (let i = 0; i < 3; i++) {
    const r = await storiesRun(page, 'webgpu', 8, panels);
    expect(r.panels.map((p) => p.error)).toEqual([undefined, undefined]);
  }
  const after = await page.evaluate(() => window.logitscope.gpuStats());
  expect(after.buffers).toBe(before.buffers);
  expect(after.bytes).toBe(before.bytes);
  expect(after.allocations).toBeGreaterThan(before.allocations);
});

test('a llama2.c checkpoint converted in the page gets the superposed-input graph: k = 1, α = 0 is greedy there too', async ({ page }) => {
  await openApp(page, '?model=builtin:tiny-llama');
  const file = (name: string) => fileURLToPath(new URL(`../data/llama2c/${name}`, import.meta.url));
  await page.getByTestId('llama2c-input').setInputFiles([file('stories260K.bin'), file('tok512.bin')]);
  await expect(page.getByTestId('llama2c-status')).toContainText('Selected as local:stories260K');
  const r = await apiRun(page, {
    prompt: 'Once upon a time',
    maxNewTokens: 16,
    seed: 1,
    backend: 'wasm',
    model: 'local:stories260K',
    draft: null,
    panels: [
      { strategy: 'greedy', params: {} },
      { strategy: 'superposed', params: { n: 1, alpha: 0 } },
      { strategy: 'superposed', params: {} },
    ],
  });
  expect(r.panels.map((p) => p.error)).toEqual([undefined, undefined, undefined]);
  expect(panelIds(r, 1)).toEqual(panelIds(r, 0));
  expect(r.panels[2]!.tokens.length).toBeGreaterThan(0);
});
