// Robustness: every broken model folder gets its own clear message and leaves the app usable; 50
// runs leave the live GPU buffers flat; a lost GPU device is reported and "Reload model" recovers;
// with WebGPU unavailable the WASM path runs the same tokens, and a banner says why.
import { chromium, expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { referenceGreedy } from '../scripts/testmodels/reference';
import { gpuStats, greedy, mustRun, OUT_DIR, openAt, tryRun } from './support/model-pages';
import { startStaticServer, type StaticServer } from './support/static-server';
import type { RunRecord } from '../workers/protocol';

const PORT = Number(process.env.E2E_ROBUST_PORT ?? 4317);
let server: StaticServer;

test.beforeAll(async () => {
  server = await startStaticServer({ root: resolve(OUT_DIR), port: PORT });
});
test.afterAll(async () => {
  await server?.close();
});

const fixture = (name: string) => `/fixtures/${name}/tiny-llama/`;

test('broken model folders each get their own message, and the app stays usable', async ({ page }) => {
  test.setTimeout(600_000);
  await openAt(page, server.origin);
  const cases: { name: string; options: Parameters<typeof greedy>[2] & { model: string }; code: string; says: RegExp }[] = [
    { name: '404', options: { model: '/no-such-model/' }, code: 'model-not-found', says: /config\.json is missing.*404/ },
    { name: 'corrupt ONNX', options: { model: fixture('corrupt-onnx') }, code: 'model-invalid', says: /ONNX file .*corrupt-onnx\/tiny-llama\/onnx\/model\.onnx could not be loaded/ },
    { name: 'wrong architecture', options: { model: fixture('wrong-arch') }, code: 'model-invalid', says: /model_type "t5".*not a supported decoder-only/ },
    { name: 'missing dtype file', options: { model: fixture('plain'), dtype: 'q4' }, code: 'model-not-found', says: /No ONNX file for dtype q4 .*present: fp32 \(onnx\/model\.onnx\)/ },
    { name: 'unreadable tokenizer', options: { model: fixture('bad-tokenizer') }, code: 'model-invalid', says: /tokenizer .* unreadable/ },
    { name: 'mismatched pair', options: { model: 'builtin:tiny-llama', draft: fixture('other-tokenizer') }, code: 'pair-mismatch', says: /do not share a tokenizer/ },
  ];
  for (const c of cases) {
    const result = await tryRun(page, greedy(c.options.model, 4, c.options));
    expect(typeof result, c.name).toBe('string');
    expect(result, c.name).toContain(`[${c.code}]`);
    expect(result, c.name).toMatch(c.says);
    await expect(page.getByTestId('error-banner'), c.name).toContainText(c.says);
    await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'error');
    // Still usable: the built-in model runs right after.
    await page.getByTestId('dtype-select').selectOption('auto');
    const ok = await mustRun(page, greedy('builtin:tiny-llama', 3));
    expect(ok.panels[0]!.tokens, c.name).toHaveLength(3);
  }
});

test('50 consecutive runs keep the live GPU buffers flat (count and bytes)', async ({ page }) => {
  test.setTimeout(900_000);
  await openAt(page, server.origin);
  const two = { panels: [{ strategy: 'greedy', params: {} }, { strategy: 'greedy', params: {} }] };
  // One warm-up run creates the per-device kernel state that lives as long as the device.
  await mustRun(page, greedy('builtin:tiny-llama', 4, two));
  const before = await gpuStats(page);
  let tokens: number[] | null = null;
  for (let i = 0; i < 50; i++) {
    const rec = await mustRun(page, greedy('builtin:tiny-llama', 4, two));
    const ids = rec.panels[0]!.tokens.map((t) => t.id);
    tokens ??= ids;
    expect(ids).toEqual(tokens);
  }
  const after = await gpuStats(page);
  console.log(`GPU buffers before 50 runs: ${before.buffers} (${before.bytes} bytes); after: ${after.buffers} (${after.bytes} bytes); tracked allocations ${before.allocations} → ${after.allocations}`);
  expect(after.buffers).toBe(before.buffers);
  expect(after.bytes).toBe(before.bytes);
  // The ledger saw the work: logits, present.* and kernel scratch of 50 × 2 panels × 4 steps.
  expect(after.allocations - before.allocations).toBeGreaterThanOrEqual(50 * 2 * 4);
});

test('a lost GPU device is reported, and "Reload model" recovers in a fresh worker', async ({ page }) => {
  test.setTimeout(600_000);
  await openAt(page, server.origin);
  const first = await mustRun(page, greedy('builtin:tiny-llama', 6));
  expect(first.model.backend).toBe('webgpu');
  const lost = await page.evaluate(() => (window as unknown as { logitscope: { debug: { loseDevice(): Promise<boolean> } } }).logitscope.debug.loseDevice());
  expect(lost).toBe(true);
  const failed = await tryRun(page, greedy('builtin:tiny-llama', 6));
  expect(failed).toContain('[device-lost]');
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('GPU device lost');
  await banner.getByTestId('reload-model').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 150_000 });
  const again = await page.evaluate(() => (window as unknown as { logitscope: { exportRun(): RunRecord } }).logitscope.exportRun());
  expect(again.model.backend).toBe('webgpu');
  expect(again.panels[0]!.tokens.map((t) => t.id)).toEqual(first.panels[0]!.tokens.map((t) => t.id));
  expect(again.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', again.promptTokens, 6).ids);
});

test('WebGPU unavailable (Chromium without its WebGPU flags: no adapter): WASM with a banner saying why, same tokens', async () => {
  // A browser of its own: the configured one has WebGPU on SwiftShader.
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    await openAt(page, server.origin);
    const rec = await mustRun(page, greedy('builtin:tiny-llama', 16, { backend: 'webgpu' }));
    expect(rec.model.backend).toBe('wasm');
    await expect(page.getByTestId('wasm-banner')).toContainText('no WebGPU adapter');
    await expect(page.getByTestId('device-info')).toContainText('WASM');
    const ref = referenceGreedy('tiny-llama', rec.promptTokens, 16);
    expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(ref.ids);
    rec.panels[0]!.tokens.forEach((t, i) => expect(Math.abs(t.prob - ref.probs[i]!)).toBeLessThanOrEqual(1e-4));
  } finally {
    await browser.close();
  }
});
