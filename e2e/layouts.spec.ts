// Model folders laid out as real exporters write them (scripts/testmodels/layouts): the
// onnxruntime-genai builder (contrib ops, 4-bit MatMulNBits, GroupQueryAttention, with and without
// position_ids, float16 KV cache and logits), Optimum (num_logits_to_keep, external data in two
// files, transformers.js_config) and split embeddings (embed_tokens + decoder_model_merged, as Gemma 3).
// Each is served as a same-origin folder URL; greedy must equal the reference forward run with the
// weights the folder holds, on WASM and on WebGPU.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { layoutFolder, type LayoutName } from '../scripts/testmodels/layouts';
import { referenceGreedy, EOS_ID } from '../scripts/testmodels/reference';
import { greedy, mustRun, OUT_DIR, openAt, tryRun } from './support/model-pages';
import { startStaticServer, type StaticServer } from './support/static-server';

const PORT = Number(process.env.E2E_LAYOUT_PORT ?? 4318);
const N = 16;
let server: StaticServer;

test.beforeAll(async () => {
  server = await startStaticServer({ root: resolve(OUT_DIR), port: PORT });
});
test.afterAll(async () => {
  await server?.close();
});

const folder = (name: LayoutName): string => `/layouts/${name}/`;

const CASES: [LayoutName, 'wasm' | 'webgpu'][] = [
  ['genai-int4', 'wasm'],
  ['genai-int4', 'webgpu'],
  ['genai-int4-nopos', 'wasm'],
  ['genai-int4-nopos', 'webgpu'],
  ['optimum-external', 'wasm'],
  ['optimum-external', 'webgpu'],
  // The WASM build shipped with WebGPU support has no GatherBlockQuantized kernel: see below.
  ['split-embed', 'webgpu'],
];

for (const [name, backend] of CASES) {
  test(`${name} on ${backend}: greedy equals the reference forward`, async ({ page }) => {
    test.setTimeout(300_000);
    await openAt(page, server.origin);
    const rec = await mustRun(page, greedy(folder(name), N, { backend }));
    expect(rec.model.backend).toBe(backend);
    expect(rec.model.dtype).toBe(layoutFolder(name).dtype);
    const ref = referenceGreedy('tiny-llama', rec.promptTokens, N, EOS_ID, layoutFolder(name).reference);
    const panel = rec.panels[0]!;
    expect(panel.error).toBeUndefined();
    expect(panel.tokens.map((t) => t.id)).toEqual(ref.ids);
    const worst = Math.max(...panel.tokens.map((t, i) => Math.abs(t.prob - ref.probs[i]!)));
    console.log(`${name} ${backend}: max |prob − reference| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });
}

test('split-embed on WASM: refused at load naming GatherBlockQuantized and offering WebGPU; the app stays usable', async ({ page }) => {
  test.setTimeout(300_000);
  await openAt(page, server.origin);
  const refused = await tryRun(page, greedy(folder('split-embed'), N, { backend: 'wasm' }));
  expect(typeof refused).toBe('string');
  expect(refused).toContain('[model-invalid]');
  expect(refused).toMatch(/embed_tokens_q4\.onnx uses the operator GatherBlockQuantized.*WASM backend.*switch Backend to WebGPU/);
  await expect(page.getByTestId('error-banner')).toContainText('GatherBlockQuantized');
  await mustRun(page, greedy(folder('optimum-external'), 4, { backend: 'wasm' }));
});

test('genai-int4f16 (float16 KV cache and logits): WASM decodes it; WebGPU without shader-f16 refuses at load, naming the feature', async ({ page }) => {
  test.setTimeout(300_000);
  await openAt(page, server.origin);
  const rec = await mustRun(page, greedy(folder('genai-int4f16'), N, { backend: 'wasm' }));
  const ref = referenceGreedy('tiny-llama', rec.promptTokens, N, EOS_ID, layoutFolder('genai-int4f16').reference);
  // float16 arithmetic: the margins on this prompt (≥ 0.05 in logits) keep every greedy choice.
  expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(ref.ids);
  rec.panels[0]!.tokens.forEach((t, i) => expect(Math.abs(t.prob - ref.probs[i]!)).toBeLessThan(2e-2));
  const gpu = await page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    return adapter ? adapter.features.has('shader-f16') : null;
  });
  // SwiftShader (the test adapter) has no shader-f16: that is the case under test.
  expect(gpu).toBe(false);
  const refused = await tryRun(page, greedy(folder('genai-int4f16'), N, { backend: 'webgpu' }));
  expect(typeof refused).toBe('string');
  expect(refused).toMatch(/shader-f16/);
  expect(refused).toMatch(/wasm|WASM/);
  // The previous run's tokens stay on screen, and the next run works.
  await expect(page.getByTestId('panel-0').locator('.token')).toHaveCount(rec.panels[0]!.tokens.length);
  await mustRun(page, greedy(folder('genai-int4'), 4, { backend: 'webgpu' }));
});
