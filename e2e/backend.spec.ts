// backend=auto (the default) on this machine, whose WebGPU adapter is SwiftShader (software): the
// built-in models run on WASM with the reason on screen and in the run record; "Time both
// backends" measures both, stores the measurement in localStorage, and a reloaded page (and its
// next run) uses the stored one; backend=webgpu still forces WebGPU, with the software warning.
import { expect, test, type Page } from '@playwright/test';
import type { BackendMeasurement, RunRecord } from '../protocol';
import { waitForState } from './helpers';

const MODEL = 'builtin:stories260k';
const PREFIX = 'logitscope.backend.v1:';

async function stored(page: Page): Promise<Record<string, BackendMeasurement>> {
  return page.evaluate((prefix) => {
    const out: Record<string, BackendMeasurement> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      if (k.startsWith(prefix)) out[k] = JSON.parse(localStorage.getItem(k)!) as BackendMeasurement;
    }
    return out;
  }, PREFIX);
}

async function generate(page: Page): Promise<RunRecord> {
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('generate').click();
  await waitForState(page, ['done'], 600_000);
  return page.evaluate(() => window.logitscope.exportRun()!);
}

test.describe.configure({ mode: 'serial' });

test('backend unset: auto picks WASM for the built-in models on the software adapter, and says why', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await expect(page.getByTestId('backend-select')).toHaveValue('auto');
  const line = page.getByTestId('backend-choice');
  await expect(line).toHaveText(/^Backend: auto → WASM \(WebGPU adapter is a software fallback: google swiftshader\)/, { timeout: 30_000 });
  const rec = await generate(page);
  expect(rec.model).toMatchObject({ source: MODEL, backend: 'wasm', backendRequested: 'auto', backendReason: 'WebGPU adapter is a software fallback: google swiftshader', backendTimings: null });
  expect(rec.draft).toMatchObject({ backend: 'wasm', backendRequested: 'auto' });
  await expect(line).toHaveText(/^Backend: auto → WASM \(WebGPU adapter is a software fallback: google swiftshader\)/);
  await expect(page.getByTestId('wasm-banner')).toContainText('WebGPU adapter is a software fallback: google swiftshader');
  await expect(page.getByTestId('device-info')).toHaveText('Device: WASM (CPU)');
  // Nothing was timed: a software adapter loses without a measurement; and nothing to warm on WASM.
  expect(await stored(page)).toEqual({});
  await expect(page.getByTestId('warm-status')).toHaveCount(0);

  // The other built-in models too (the draft pair and the random-weight test models).
  for (const model of ['builtin:stories-draft', 'builtin:tiny-llama', 'builtin:tiny-llama-draft', 'builtin:tiny-llama-padded']) {
    const r = await page.evaluate((m) => window.logitscope.run({ model: m, draft: null, maxNewTokens: 2, panels: [{ strategy: 'greedy', params: {} }] }), model);
    expect(r.model, model).toMatchObject({ backend: 'wasm', backendRequested: 'auto' });
    expect(r.model.backendReason, model).toMatch(/software fallback/);
  }
});

test('"Time both backends" stores the measurement per model and adapter; a reloaded page and its run use it; backend=webgpu overrides it', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('/');
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  const line = page.getByTestId('backend-choice');
  await page.getByTestId('measure-backends').click();
  await expect(line).toContainText(`timing WASM and WebGPU on ${MODEL}`);
  await expect(line).toContainText('measured WASM', { timeout: 600_000 });

  const entries = await stored(page);
  const keys = Object.keys(entries);
  expect(keys).toHaveLength(1);
  const m = entries[keys[0]!]!;
  expect(keys[0]).toBe(`${PREFIX}${MODEL}|auto|${m.adapter}`);
  expect(m.adapter).toMatch(/swiftshader/i);
  for (const b of ['wasm', 'webgpu'] as const) {
    expect(m[b].steps).toBe(8);
    expect(m[b].msPerToken).toBeGreaterThan(0);
    expect(m[b].prefillMs).toBeGreaterThan(0);
  }
  console.log(`${MODEL} as the page measured it (SwiftShader adapter): WASM ${m.wasm.msPerToken.toFixed(2)} ms/token (prefill ${m.wasm.prefillMs.toFixed(1)} ms), WebGPU ${m.webgpu.msPerToken.toFixed(2)} ms/token (prefill ${m.webgpu.prefillMs.toFixed(1)} ms, warm-up ${m.webgpu.warmupMs.toFixed(0)} ms)`);
  const numbers = /measured WASM [\d.]+ ms\/token vs WebGPU [\d.]+ ms\/token/;
  await expect(line).toHaveText(new RegExp(`^Backend: auto → WASM \\(WebGPU adapter is a software fallback: google swiftshader; ${numbers.source}\\)`));

  // A fresh page reads the stored measurement before any run, and its run reports those timings.
  await page.reload();
  await expect(line).toContainText(numbers, { timeout: 30_000 });
  const rec = await generate(page);
  expect(rec.model.backend).toBe('wasm');
  expect(rec.model.backendTimings).toEqual({ wasm: m.wasm.msPerToken, webgpu: m.webgpu.msPerToken });
  expect(rec.model.backendReason).toMatch(numbers);
  expect(Object.keys(await stored(page))).toEqual(keys);

  // The override: backend=webgpu runs WebGPU whatever was measured, and warns about the software adapter.
  await page.goto('/?backend=webgpu');
  await expect(page.getByTestId('backend-select')).toHaveValue('webgpu');
  const forced = await generate(page);
  expect(forced.model).toMatchObject({ backend: 'webgpu', backendRequested: 'webgpu', backendTimings: null });
  expect(forced.model.backendReason).toMatch(/^WebGPU was selected in the Backend control \(the adapter, google swiftshader, is a software fallback/);
  await expect(line).toHaveText(/^Backend: WebGPU \(WebGPU was selected/);
  const warn = page.getByTestId('software-adapter-banner');
  await expect(warn).toContainText('software adapter (google swiftshader)');
  await warn.getByTestId('use-wasm').click();
  await expect(page.getByTestId('backend-select')).toHaveValue('wasm');
  // The run's text stays on screen after the switch.
  await expect(page.getByTestId('panel-0')).toContainText(forced.panels[0]!.text.trim().slice(0, 20));
});

test('forced WebGPU on a software adapter: no background warm-up, and the page says why', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=webgpu&model=builtin:tiny-llama&max=4&panels=greedy');
  const warm = page.getByTestId('warm-status');
  await expect(warm).toHaveAttribute('data-state', 'skipped', { timeout: 60_000 });
  await expect(warm).toContainText('not compiled in the background on a software adapter (google swiftshader)');
  const rec = await generate(page);
  expect(rec.model).toMatchObject({ backend: 'webgpu', backendRequested: 'webgpu' });
});

test('with WebGPU chosen, the pipelines warm in the background after the page loads, and it says so', async ({ page }) => {
  test.setTimeout(600_000);
  // This machine has only a software adapter, where the product skips the warm-up; the test build's
  // switch runs the same warm-up path a real GPU takes.
  await page.addInitScript(() => localStorage.setItem('logitscope.test.warmSoftware', '1'));
  await page.goto('/?backend=webgpu&model=builtin:tiny-llama&max=4&panels=greedy');
  const warm = page.getByTestId('warm-status');
  await expect(warm).toContainText('Warming the WebGPU pipelines of builtin:tiny-llama in the background', { timeout: 60_000 });
  await expect(warm).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
  await expect(warm).toContainText(/WebGPU pipelines of builtin:tiny-llama compiled in the background \(\d+\.\d s\)/);
  const rec = await generate(page);
  expect(rec.model).toMatchObject({ backend: 'webgpu', backendRequested: 'webgpu' });
  expect(rec.panels[0]!.tokens).toHaveLength(4);
  console.log(`tiny-llama on WebGPU after the warm-up: time to first token ${rec.panels[0]!.stats.timeToFirstTokenMs?.toFixed(0)} ms`);
});
