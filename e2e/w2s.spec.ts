// Weak-to-strong fusion (Dynamic Logits Fusion, docs/algorithms.md#w2s) in real Chromium: the
// kernels against the CPU reference on the harness page (KLs, κ, α*, the fused row), then the
// trained built-in pair in the page on WASM and WebGPU: α = 0 and an empty expert prefix are the
// target's greedy decoding, the defaults give the same tokens on both backends with the popover
// detail and the legend, and a bad parameter is refused with a clear message.
import { expect, test, type Page } from '@playwright/test';
import { apiRun, openDefault, panelIds } from './helpers';
import type { RunRecord, W2sAnnotations } from '../protocol';
import type { W2sCase, W2sResult } from '../harness/w2s';

const PAIR = { model: 'builtin:stories260k', draft: 'builtin:stories-draft' };
const PROMPT = 'Once upon a time';
const ids = panelIds;

test.describe.configure({ mode: 'serial' });

const close = (a: number, b: number, tol = 1e-4) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('kernels: GPU statistics, α* and the fused row equal the CPU reference', async ({ page }) => {
  await page.goto('/harness.html');
  await page.waitForFunction(() => 'w2sHarness' in window, null, { timeout: 30_000 });
  expect(await page.evaluate(() => window.w2sHarness!.shaderMessages())).toEqual([]);
  const cases: W2sCase[] = [
    { rowLength: 7, dtype: 'f32', seed: 1, alphaMax: 2 },
    { rowLength: 512, dtype: 'f32', seed: 2, alphaMax: 2 },
    { rowLength: 512, dtype: 'f16', seed: 3, alphaMax: 3 },
    { rowLength: 4099, validVocab: 4000, dtype: 'f32', seed: 4, alphaMax: 1 },
    { rowLength: 49_152, dtype: 'f16', seed: 5, alphaMax: 2 },
    { rowLength: 151_936, validVocab: 151_665, dtype: 'f32', seed: 6, alphaMax: 2 },
    { rowLength: 512, dtype: 'f32', seed: 7, alphaMax: 2, expertIsSmall: true },
  ];
  for (const c of cases) {
    const r: W2sResult = await page.evaluate((x) => window.w2sHarness!.parity(x), c);
    const name = JSON.stringify(c);
    if ('error' in r.gpu || 'error' in r.cpu) throw new Error(`${name}: ${JSON.stringify(r)}`);
    expect(r.gpu.alpha, name).toBe(r.cpu.alpha);
    expect(close(r.gpu.kappa, r.cpu.kappa), `${name} κ ${r.gpu.kappa} vs ${r.cpu.kappa}`).toBe(true);
    r.gpu.kls.forEach((kl, j) => expect(close(kl, (r.cpu as { kls: number[] }).kls[j]!), `${name} KL[${j}] ${kl}`).toBe(true));
    expect(r.gpu.kls.every((kl) => kl >= 0)).toBe(true);
    expect(r.fusedMaskMismatches, name).toBe(0);
    expect(r.fusedMaxRel, name).toBeLessThanOrEqual(2 ** -23);
    expect(r.bytes, name).toBeLessThanOrEqual(4096);
    if (c.expertIsSmall) {
      expect(r.gpu.kappa).toBe(0);
      expect(r.gpu.alpha).toBe(0);
    }
  }
  const bad: W2sResult = await page.evaluate(() => window.w2sHarness!.parity({ rowLength: 512, dtype: 'f32', seed: 8, alphaMax: 2, bad: true }));
  expect(JSON.stringify(bad.gpu)).toMatch(/NaN or \+inf/);
  expect(JSON.stringify(bad.cpu)).toMatch(/NaN or \+inf/);
});

const defaults: Record<string, number[]> = {};

async function checkPage(page: Page, rec: RunRecord, panel: number): Promise<void> {
  const ann = rec.panels[panel]!.tokens.map((t) => t.annotations as W2sAnnotations);
  await page.getByTestId('heatmap-provenance').check();
  const legend = page.getByTestId('legend');
  await expect(legend).toContainText('Fusion agreed with the large model');
  await expect(legend).toContainText('Fusion flipped the large model’s pick');
  const at = Math.max(0, ann.findIndex((a) => a.provenance === 'flipped'));
  await page.getByTestId(`panel-${panel}`).getByTestId('tokens').locator(`[data-index="${at}"]`).hover();
  const detail = page.getByTestId('popover-detail');
  await expect(detail.getByTestId('w2s-alpha')).toHaveText(ann[at]!.alpha.toFixed(1));
  await expect(detail.getByTestId('w2s-kappa')).toContainText('nats');
  await expect(detail.getByTestId('w2s-top-fused').first()).toBeVisible();
  await expect(detail.getByTestId('w2s-top-expert').first()).toBeVisible();
  if (ann[at]!.provenance === 'flipped') await expect(detail.getByTestId('w2s-flipped-badge')).toHaveText('fusion flipped');
  // The "?" explanation carries the interpretation badge.
  await expect(page.getByTestId(`panel-${panel}`).getByTestId('interpretation-badge')).toBeVisible();
}

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: α = 0 and an empty expert prefix are target greedy; the defaults fuse, with detail and legend`, async ({ page }) => {
    await openDefault(page);
    const rec: RunRecord = await apiRun(page, {
      prompt: PROMPT,
      maxNewTokens: 40,
      seed: 1,
      backend,
      ...PAIR,
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'w2s', params: { alpha: 0 } },
        { strategy: 'w2s', params: { expertPrefix: '', alpha: 2 } },
        { strategy: 'w2s', params: {} },
      ],
    });
    expect(rec.model.backend).toBe(backend);
    for (const p of rec.panels) expect(p.error, `${p.strategy}: ${p.error}`).toBeUndefined();
    expect(ids(rec, 1)).toEqual(ids(rec, 0));
    expect(ids(rec, 2)).toEqual(ids(rec, 0));
    const ann = rec.panels[3]!.tokens.map((t) => t.annotations as W2sAnnotations);
    expect(ann.length).toBe(40);
    expect(ann.every((a) => a.kind === 'w2s' && a.dynamic && a.kl >= 0 && a.kappa >= 0 && a.curve.every((k) => k >= 0))).toBe(true);
    const flipped = ann.filter((a) => a.provenance === 'flipped').length;
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const s = rec.panels[3]!.stats;
    const g = rec.panels[0]!.stats;
    // Three forwards per token: the target's, the small model's and the expert's (both on the draft).
    expect(s.targetForwards).toBe(s.newTokens);
    expect(s.draftForwards).toBe(2 * s.newTokens);
    if (backend === 'webgpu') expect(s.readbackBytes / s.newTokens).toBeLessThanOrEqual(4096);
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) => `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    console.log(
      `w2s defaults on ${backend}, "${PROMPT}": ${flipped}/${ann.length} flipped, mean α* ${mean(ann.map((a) => a.alpha)).toFixed(2)}, mean κ ${mean(ann.map((a) => a.kappa)).toFixed(4)}; w2s ${per(s)} vs greedy ${per(g)} (same run); text: ${JSON.stringify(rec.panels[3]!.text)}`,
    );
    expect(flipped).toBeGreaterThan(0);
    defaults[backend] = ids(rec, 3);
    await checkPage(page, rec, 3);
  });
}

test('the defaults give the same tokens on WASM and WebGPU', () => {
  expect(defaults.wasm).toBeDefined();
  expect(defaults.webgpu).toEqual(defaults.wasm);
});

test('a bad parameter is refused with a clear message: in a link, and at run time', async ({ page }) => {
  await page.goto('/?panels=greedy,w2s(alphaMax=5)');
  await expect(page.getByTestId('panel-1').getByTestId('param-error')).toContainText('alphaMax must be a number in [0, 3], got 5');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('validation-message')).toContainText('alphaMax must be a number in [0, 3], got 5');
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'idle');
  await openDefault(page);
  const rec: RunRecord = await apiRun(page, { prompt: PROMPT, maxNewTokens: 4, seed: 1, backend: 'wasm', ...PAIR, panels: [{ strategy: 'greedy', params: {} }, { strategy: 'w2s', params: { alpha: -0.5 } }] });
  expect(rec.panels[0]!.tokens.length).toBe(4);
  expect(rec.panels[1]!.error ?? '').toContain('alpha must be −1 (dynamic) or a fixed α in [0, 3], got -0.5');
  await expect(page.getByTestId('panel-1').getByTestId('panel-error')).toContainText('alpha must be −1 (dynamic)');
});
