// The logit lens and DoLa (issue #13 items 3 and 4) on the trained built-in model in the page, on
// WASM and on WebGPU: every token carries each layer's top tokens (the output layer's top-1 is
// greedy's token, at its probability); DoLa with α = 1 is greedy; the chosen token is plausible;
// the premature layers and divergences agree across the backends (the GPU divergence kernel
// against its CPU reference); a model without layer logits gets a clear error and an explained
// absence; the popover, the panel's strip, the legend and the logit lab show it.
import { expect, test, type Page } from '@playwright/test';
import { apiRun, openDefault, panelIds, storiesRun } from './helpers';
import type { DolaAnnotations, RunRecord } from '../protocol';

const PROMPT = 'Once upon a time';
const N = 32;

async function runBoth(page: Page, backend: 'wasm' | 'webgpu'): Promise<RunRecord> {
  return storiesRun(page, backend, N, [
    { strategy: 'greedy', params: {} },
    { strategy: 'dola', params: { alpha: 1, repetitionPenalty: 1 } },
    { strategy: 'dola', params: { repetitionPenalty: 1 } },
    { strategy: 'dola', params: {} },
  ]);
}

test('logit lens and DoLa on WASM and WebGPU: lens = output at the last layer, α = 1 is greedy, plausible picks, same layers on both backends', async ({ page }) => {
  await openDefault(page);
  const rec: Record<string, RunRecord> = {};
  for (const backend of ['wasm', 'webgpu'] as const) {
    const r = await runBoth(page, backend);
    rec[backend] = r;
    expect(r.model.backend).toBe(backend);
    expect(r.model.lensLayers).toBe(6);
    // The lens: 6 rows (embedding, 4 blocks, output) of 5 tokens; the output row is the model's own distribution.
    for (const t of r.panels[0]!.tokens) {
      expect(t.lens!.map((l) => l.layer)).toEqual([0, 1, 2, 3, 4, 5]);
      const out = t.lens![5]!.top;
      expect(out.length).toBe(5);
      expect(out[0]!.id).toBe(t.id);
      expect(out[0]!.prob).toBeCloseTo(t.prob, 4);
      expect(out.map((e) => e.id)).toEqual(t.top.slice(0, 5).map((e) => e.id));
    }
    // Some layer below the output disagrees with it somewhere: the lens shows the prediction forming.
    expect(r.panels[0]!.tokens.some((t) => t.lens!.slice(0, 5).some((l) => l.top[0]!.id !== t.id))).toBe(true);
    expect(panelIds(r, 1)).toEqual(panelIds(r, 0));
    for (const p of [2, 3]) {
      const panel = r.panels[p]!;
      expect(panel.error).toBeUndefined();
      expect(panel.tokens.length).toBe(N);
      for (const t of panel.tokens) {
        const a = t.annotations as DolaAnnotations;
        expect(a.kind).toBe('dola');
        expect(a.mature).toBe(5);
        expect(a.candidates.map((c) => c.layer)).toEqual([2, 4]);
        expect([2, 4]).toContain(a.premature);
        const chosen = a.candidates.find((c) => c.layer === a.premature)!;
        for (const c of a.candidates) {
          expect(c.jsd!).toBeGreaterThan(0);
          expect(c.jsd!).toBeLessThanOrEqual(Math.log(2));
          expect(chosen.divergence!).toBeGreaterThanOrEqual(c.divergence!);
        }
        expect(a.plausible).toBeGreaterThanOrEqual(1);
        if (p === 2) expect(t.prob).toBeGreaterThanOrEqual(0.1 * t.top[0]!.prob * (1 - 1e-5));
      }
    }
    expect(r.panels[2]!.tokens.some((t) => (t.annotations as DolaAnnotations).departed)).toBe(true);
    const g = r.panels[0]!.stats;
    const d = r.panels[3]!.stats;
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) => `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    console.log(`dola defaults on ${backend}: ${per(d)} vs greedy (with the lens) ${per(g)}; text: ${JSON.stringify(r.panels[3]!.text)}`);
    // On WASM the counter holds the bytes scanned on the CPU; the 4 KB budget is the GPU readback's.
    if (backend === 'webgpu') expect(d.readbackBytes / d.newTokens).toBeLessThanOrEqual(4096);
  }
  // The GPU kernel and the CPU reference choose the same layers and tokens, with the same divergences.
  for (const p of [2, 3]) {
    expect(panelIds(rec.webgpu!, p)).toEqual(panelIds(rec.wasm!, p));
    rec.webgpu!.panels[p]!.tokens.forEach((t, i) => {
      const a = t.annotations as DolaAnnotations;
      const b = rec.wasm!.panels[p]!.tokens[i]!.annotations as DolaAnnotations;
      expect(a.premature).toBe(b.premature);
      a.candidates.forEach((c, j) => {
        expect(Math.abs(c.divergence! - b.candidates[j]!.divergence!)).toBeLessThanOrEqual(1e-4 * b.candidates[j]!.divergence! + 1e-9);
        expect(c.jsd!).toBeCloseTo(b.candidates[j]!.jsd!, 4);
      });
    });
  }
});

test('the page: lens table in the popover, the strip under the panel, DoLa detail and legend; lens off leaves it out', async ({ page }) => {
  await page.goto(`/?model=builtin:stories260k&backend=webgpu&panels=${'greedy,dola'}&prompt=${encodeURIComponent(PROMPT)}&max=12`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  await page.getByTestId('panel-0').getByTestId('tokens').locator('[data-index="2"]').hover();
  const lens = page.getByTestId('popover-lens');
  await expect(lens).toBeVisible();
  await expect(lens.locator('tr')).toHaveCount(6);
  await expect(lens.locator('tr[data-layer="5"] td').first()).toHaveAttribute('data-chosen', 'true');
  await page.mouse.move(0, 0);
  const strip = page.getByTestId('lens-strip-0');
  await strip.locator('summary').click();
  await expect(strip.locator('tbody tr')).toHaveCount(6);
  await strip.locator('tr[data-layer="2"] button').first().click();
  await expect(page.getByTestId('lens-picked-0')).toContainText('L2');
  await page.getByTestId('panel-1').getByTestId('tokens').locator('[data-index="3"]').hover();
  await expect(page.getByTestId('dola-premature')).toContainText('Contrasted layer 5 (output) with layer');
  await expect(page.getByTestId('dola-layer')).toHaveCount(2);
  await page.mouse.move(0, 0);
  await page.getByTestId('heatmap-provenance').check();
  await expect(page.getByTestId('legend')).toContainText('layer contrast');
  // Through the API with the lens off: no lens on the tokens.
  const r = await apiRun(page, { prompt: PROMPT, maxNewTokens: 4, seed: 1, backend: 'webgpu', model: 'builtin:stories260k', draft: null, logitLens: false, panels: [{ strategy: 'greedy', params: {} }] });
  expect(r.panels[0]!.tokens.every((t) => t.lens === undefined)).toBe(true);
});

test('a model without layer logits: DoLa says why, the other panel runs, and the popover explains the missing lens', async ({ page }) => {
  await page.goto(`/?model=builtin:tiny-llama&backend=wasm&panels=${'greedy,dola'}&prompt=Hello&max=6`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  const r = await apiRun(page, { prompt: 'Hello', maxNewTokens: 6, seed: 1, backend: 'wasm', model: 'builtin:tiny-llama', draft: null, panels: [{ strategy: 'greedy', params: {} }, { strategy: 'dola', params: {} }] });
  expect(r.model.lensLayers).toBe(0);
  expect(r.panels[0]!.tokens.length).toBe(6);
  expect(r.panels[0]!.tokens[0]!.lens).toBeUndefined();
  expect(r.panels[1]!.error ?? '').toMatch(/exports no layer_logits/);
  await expect(page.getByTestId('panel-1')).toContainText('exports no layer_logits');
  await page.getByTestId('panel-0').getByTestId('tokens').locator('[data-index="1"]').hover();
  await expect(page.getByTestId('popover-lens-absent')).toContainText('exports no per-layer logits');
});

test('step mode: the logit lab shows the lens of the step’s token', async ({ page }) => {
  await page.goto(`/?model=builtin:stories260k&panels=greedy&prompt=${encodeURIComponent(PROMPT)}&mode=step&backend=wasm`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  for (let i = 0; i < 2; i++) await page.evaluate(() => window.logitscope.step());
  const lens = page.getByTestId('lab-lens-0');
  await expect(lens).toBeVisible();
  await expect(lens.locator('tr')).toHaveCount(6);
});
