// Real-model plumbing without the Hub: the built-in model served as a model folder URL and loaded
// as a local folder, the download UI against a throttled local server (per-file and total progress,
// rate, cancel, cache on reload), the "models on this device" view, and the curated catalog UI.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { referenceGreedy } from '../scripts/testmodels/reference';
import { cachedModels, greedy, mustRun, OUT_DIR, openAt, pendingRun, startRun } from './support/model-pages';
import { startStaticServer, type StaticServer } from './support/static-server';

const PORT = Number(process.env.E2E_MODELS_PORT ?? 4316);
let server: StaticServer;

test.beforeAll(async () => {
  // 96 KB/s: the 700 KB ONNX file takes about 7 s, long enough to watch and to cancel.
  server = await startStaticServer({ root: resolve(OUT_DIR), port: PORT, slowBytesPerSecond: 96 * 1024 });
});
test.afterAll(async () => {
  await server?.close();
});

const SLOW = '/fixtures/slow/tiny-llama/';

test('the built-in model served as a model folder URL decodes exactly like the reference', async ({ page }) => {
  await openAt(page, server.origin);
  const rec = await mustRun(page, greedy('/fixtures/plain/tiny-llama/', 12));
  expect(rec.model.source).toBe('/fixtures/plain/tiny-llama/');
  expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', rec.promptTokens, 12).ids);
  // Same-origin folders go through the model cache like remote ones.
  const cached = await cachedModels(page);
  expect(cached.find((c) => c.base === `${server.origin}/fixtures/plain/tiny-llama/`)?.files).toBe(5);
});

test('an export whose weights are in an external .onnx_data file loads and decodes like the reference', async ({ page }) => {
  await openAt(page, server.origin);
  const rec = await mustRun(page, greedy('/fixtures/external-data/tiny-llama/', 8));
  expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', rec.promptTokens, 8).ids);
  // The graph is small; the weights came from the data file.
  expect(server.counts.get('/fixtures/external-data/tiny-llama/onnx/model.onnx_data')).toBe(1);
  const folder = (await cachedModels(page)).find((c) => c.base.endsWith('/fixtures/external-data/tiny-llama/'));
  expect(folder?.files).toBe(6);
});

test('a local folder picked with the directory chooser loads as local:<name> and decodes like the reference', async ({ page }) => {
  await openAt(page, server.origin);
  await page.getByTestId('local-folder-input').setInputFiles(resolve(OUT_DIR, 'models/builtin/tiny-llama'));
  await expect(page.getByTestId('local-folder-status')).toContainText('Folder tiny-llama');
  await expect(page.getByTestId('local-folder-status')).toContainText('fp32');
  await expect(page.getByTestId('local-folder-status')).toContainText('cannot carry');
  await expect(page.getByTestId('model-select')).toHaveValue('local:tiny-llama');
  await page.getByTestId('max-tokens').fill('10');
  await page.getByTestId('prompt').fill('Once upon a time');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 150_000 });
  const rec = await page.evaluate(() => window.logitscope.exportRun()!);
  expect(rec.model.source).toBe('local:tiny-llama');
  expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', rec.promptTokens, 10).ids);
});

test('a folder without config.json is refused when picked, naming the file', async ({ page }) => {
  await openAt(page, server.origin);
  // The onnx/ subfolder alone is not a model folder.
  await page.getByTestId('local-folder-input').setInputFiles(resolve(OUT_DIR, 'models/builtin/tiny-llama/onnx'));
  await expect(page.getByTestId('local-folder-error')).toContainText('config.json');
  await expect(page.getByTestId('model-select')).toHaveValue('builtin:tiny-llama');
});

test('a throttled download shows every file, the total and the rate; a reload reads from the cache', async ({ page }) => {
  await openAt(page, server.origin);
  await startRun(page, greedy(SLOW, 4));
  const onnxRow = page.locator('[data-testid=download-file][data-file="onnx/model.onnx"]');
  await expect(onnxRow).toHaveAttribute('data-status', 'fetching', { timeout: 30_000 });
  await expect(page.locator('[data-testid=download-file][data-file="config.json"]')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('download-total')).toContainText(/\d+%/);
  await expect(page.getByTestId('download-total')).toContainText(/\/s/);
  await expect(onnxRow).toContainText(/\d+%/);
  expect(await pendingRun(page)).toBe('ok');
  expect(server.counts.get(`${SLOW}onnx/model.onnx`)).toBe(1);

  await page.reload();
  await openAt(page, server.origin);
  const again = await mustRun(page, greedy(SLOW, 4));
  expect(again.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', again.promptTokens, 4).ids);
  // Nothing was downloaded a second time.
  expect(server.counts.get(`${SLOW}onnx/model.onnx`)).toBe(1);
  expect(server.counts.get(`${SLOW}config.json`)).toBe(1);
});

test('cancelling a download stops it, caches no partial file, and the app stays usable', async ({ page }) => {
  await openAt(page, server.origin);
  await startRun(page, greedy(SLOW, 4));
  const onnxRow = page.locator('[data-testid=download-file][data-file="onnx/model.onnx"]');
  await expect(onnxRow).toHaveAttribute('data-status', 'fetching', { timeout: 30_000 });
  await page.getByTestId('cancel-download').click();
  expect(await pendingRun(page)).toContain('[cancelled]');
  await expect(page.getByTestId('error-banner')).toContainText('Cancelled');
  // Files enter the model cache only once the whole model has loaded: none of a cancelled one.
  expect((await cachedModels(page)).find((c) => c.base === `${server.origin}${SLOW}`)).toBeUndefined();
  const rec = await mustRun(page, greedy('builtin:tiny-llama', 4));
  expect(rec.panels[0]!.tokens).toHaveLength(4);
});

test('models on this device: the cache view lists a downloaded model with its size and deletes it', async ({ page }) => {
  await openAt(page, server.origin);
  await mustRun(page, greedy('/fixtures/plain/tiny-llama/', 2));
  const view = page.getByTestId('cache-view');
  await view.locator('summary').click();
  const entry = view.locator(`[data-testid=cache-entry][data-base="${server.origin}/fixtures/plain/tiny-llama/"]`);
  await expect(entry).toContainText('5 files');
  await expect(entry).toContainText(/KB|MB/);
  await expect(page.getByTestId('loaded-models')).toContainText('/fixtures/plain/tiny-llama/');
  await entry.getByTestId('cache-delete').click();
  await expect(entry).toHaveCount(0);
  await expect(page.getByTestId('cache-message')).toContainText('Deleted');
  expect((await cachedModels(page)).some((c) => c.base.endsWith('/fixtures/plain/tiny-llama/'))).toBe(false);
  await page.getByTestId('unload-models').click();
  await expect(page.getByTestId('loaded-models')).toContainText('no model loaded');
});

test('the Hub catalog shows sizes and revisions; a pair fills model and draft and turns the chat template on', async ({ page }) => {
  // Picking is local state only: nothing is fetched from the Hub here.
  await openAt(page, server.origin);
  const select = page.getByTestId('model-select');
  await expect(select.locator('option', { hasText: 'SmolLM2 135M Instruct' })).toContainText(/about \d+ MB/);
  await select.selectOption('HuggingFaceTB/SmolLM2-135M-Instruct');
  await expect(page.getByTestId('hub-details')).toContainText('pinned to 8065371');
  await expect(page.getByTestId('hub-size')).toContainText('MB');
  await expect(page.getByTestId('chat-template')).toBeChecked();
  await select.selectOption('onnx-community/Qwen2.5-1.5B-Instruct');
  await expect(page.getByTestId('hub-details')).toContainText('main (not pinned)');
  await page.getByTestId('dtype-select').selectOption('fp16');
  await expect(page.getByTestId('hub-size')).toContainText('fp16');
  await expect(page.getByTestId('hub-size')).toContainText('GB');
  await page.getByTestId('pair-qwen2.5').click();
  await expect(select).toHaveValue('onnx-community/Qwen2.5-1.5B-Instruct');
  await expect(page.getByTestId('draft-model')).toHaveValue('onnx-community/Qwen2.5-0.5B-Instruct');
  await page.getByTestId('pair-builtin-tiny-llama').click();
  await expect(select).toHaveValue('builtin:tiny-llama');
  await expect(page.getByTestId('draft-model')).toHaveValue('builtin:tiny-llama-draft');
  await expect(page.getByTestId('chat-template')).not.toBeChecked();
  await expect(page.getByTestId('pair-builtin-stories260k')).toHaveText('stories260K + draft');
  await page.getByTestId('pair-builtin-stories260k').click();
  await expect(select).toHaveValue('builtin:stories260k');
  await expect(page.getByTestId('draft-model')).toHaveValue('builtin:stories-draft');
  await expect(page.getByTestId('chat-template')).not.toBeChecked();
});
