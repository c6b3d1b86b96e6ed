// Robustness: every broken or oversized model folder gets its own clear message, leaves nothing in
// the model cache and leaves the app usable; 50
// runs leave the live GPU buffers flat; a lost GPU device is reported and "Reload model" recovers;
// with WebGPU unavailable the WASM path runs the same tokens, and a banner says why.
import { chromium, expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { referenceGreedy } from '../scripts/testmodels/reference';
import { cachedModels, gpuStats, greedy, mustRun, OUT_DIR, openAt, tryRun } from './support/model-pages';
import { startStaticServer, type StaticServer } from './support/static-server';
import { variantSpec } from './support/variants';

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
    { name: 'oversized config.json', options: { model: fixture('huge-config') }, code: 'model-invalid', says: /huge-config\/tiny-llama\/config\.json is 3\.0 MB, over the 1\.0 MB limit for this file/ },
    { name: 'endless config.json', options: { model: fixture('endless-config') }, code: 'model-invalid', says: /endless-config\/tiny-llama\/config\.json is over 1\.0 MB \(still streaming\)/ },
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
  // A folder that failed to load left nothing in the model cache (its JSON files were read, then dropped).
  const cached = (await cachedModels(page)).map((m) => m.base);
  for (const name of ['corrupt-onnx', 'wrong-arch', 'bad-tokenizer', 'huge-config', 'endless-config', 'plain']) {
    expect(cached.filter((b) => b.includes(`/fixtures/${name}/`)), name).toEqual([]);
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
  const lost = await page.evaluate(() => window.logitscope.debug!.loseDevice());
  expect(lost).toBe(true);
  const failed = await tryRun(page, greedy('builtin:tiny-llama', 6));
  expect(failed).toContain('[device-lost]');
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('GPU device lost');
  await banner.getByTestId('reload-model').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 150_000 });
  const again = await page.evaluate(() => window.logitscope.exportRun()!);
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

// Capabilities and config sanity, on tiny-llama variants the static server serves under /variants/.
test.describe('refused at load, never mid-decode', () => {
  const tokensText = (page: Page) => page.getByTestId('panel-0').getByTestId('tokens').innerText();

  test('an fp16 graph saved as onnx/model.onnx is refused on WebGPU without shader-f16, naming it and offering WASM; nothing shown is lost', async ({ page }) => {
    test.setTimeout(600_000);
    await openAt(page, server.origin);
    // The premise: SwiftShader's adapter has no shader-f16.
    const hasF16 = await page.evaluate(async () => (await navigator.gpu.requestAdapter())?.features.has('shader-f16') ?? null);
    expect(hasF16).toBe(false);
    const first = await mustRun(page, greedy('builtin:tiny-llama', 4));
    expect(first.model.backend).toBe('webgpu');
    const shown = await tokensText(page);
    expect(shown.length).toBeGreaterThan(0);
    // As a user would: type the folder and press Generate (the panels keep their place and text).
    await page.getByTestId('model-custom').fill(variantSpec('fp16-as-fp32'));
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'error', { timeout: 150_000 });
    const says = /fp16-as-fp32\/tiny-llama\/onnx\/model\.onnx \(dtype fp32\) computes in fp16 \(fp16 logits.*needs the WebGPU feature shader-f16.*switch Backend to WASM/;
    const banner = page.getByTestId('error-banner');
    await expect(banner).toContainText('Model cannot be used');
    await expect(banner).toContainText(says);
    await expect(banner).not.toContainText(/OrtRun|requires f16/);
    expect(await tokensText(page)).toBe(shown);
    // The scripting API reports the same refusal, with its code.
    const result = await tryRun(page, greedy(variantSpec('fp16-as-fp32'), 4));
    expect(result).toContain('[model-invalid]');
    expect(result).toMatch(says);
    // The next run of another model works.
    const next = await mustRun(page, greedy('builtin:tiny-llama-draft', 3));
    expect(next.model.backend).toBe('webgpu');
    expect(next.panels[0]!.tokens).toHaveLength(3);
  });

  test('the same fp16 folder decodes on WASM: finite probabilities, the fp32 tokens while the margin is clear', async ({ page }) => {
    test.setTimeout(300_000);
    await openAt(page, server.origin);
    const n = 8;
    const half = await mustRun(page, greedy(variantSpec('fp16-as-fp32'), n, { backend: 'wasm' }));
    const full = await mustRun(page, greedy('builtin:tiny-llama', n, { backend: 'wasm' }));
    expect(half.model).toMatchObject({ backend: 'wasm', dtype: 'fp32', vocabSize: 258 });
    expect(half.promptTokens).toEqual(full.promptTokens);
    const tokens = half.panels[0]!.tokens;
    expect(tokens).toHaveLength(n);
    for (const t of tokens) {
      expect(t.prob).toBeGreaterThan(0);
      expect(t.prob).toBeLessThanOrEqual(1);
      expect(Number.isFinite(t.logprob) && Number.isFinite(t.entropy)).toBe(true);
      expect(t.top.every((e) => Number.isFinite(e.prob))).toBe(true);
    }
    // fp16 moves logits by ~1e-2: compare ids up to the first step where the fp32 top-2 logit gap is thin.
    const ref = full.panels[0]!.tokens;
    const thin = ref.findIndex((t) => Math.log(t.top[0]!.prob / t.top[1]!.prob) < 0.05);
    const clear = thin === -1 ? n : thin;
    console.log(`fp16 vs fp32 on WASM: ${clear} of ${n} steps have a clear margin; fp16 ${tokens.map((t) => t.id).join(',')} fp32 ${ref.map((t) => t.id).join(',')}`);
    expect(clear).toBeGreaterThanOrEqual(3);
    expect(tokens.slice(0, clear).map((t) => t.id)).toEqual(ref.slice(0, clear).map((t) => t.id));
    for (let i = 0; i < clear; i++) expect(Math.abs(tokens[i]!.prob - ref[i]!.prob)).toBeLessThan(0.02);
  });

  test('bad vocab_size and tokenizer_class are refused naming file, field and value; the next run works', async ({ page }) => {
    test.setTimeout(600_000);
    await openAt(page, server.origin);
    const cases: [string, RegExp][] = [
      ['vocab-0', /vocab-0\/tiny-llama\/config\.json: vocab_size must be a positive integer, got 0/],
      ['vocab-minus-5', /config\.json: vocab_size must be a positive integer, got -5/],
      ['vocab-1e9', /config\.json: vocab_size must be a positive integer of at most \d+, got 1000000000/],
      ['vocab-300', /config\.json: vocab_size must equal the logits width of .*vocab-300\/tiny-llama\/onnx\/model\.onnx \(258\), got 300/],
      ['tokenizer-class-model', /tokenizer-class-model\/tiny-llama\/tokenizer_config\.json: tokenizer_class must name a tokenizer class .*got "AutoModelForCausalLM"/],
    ];
    for (const [name, says] of cases) {
      const result = await tryRun(page, greedy(variantSpec(name), 4));
      expect(typeof result, name).toBe('string');
      expect(result, name).toContain('[model-invalid]');
      expect(result, name).toMatch(says);
      await expect(page.getByTestId('error-banner'), name).toContainText(says);
      const ok = await mustRun(page, greedy('builtin:tiny-llama', 3));
      expect(ok.panels[0]!.tokens, name).toHaveLength(3);
    }
  });
});
