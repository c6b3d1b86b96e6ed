// A shared link that names a model on another host asks the visitor before anything is requested
// from that host (issue #11 finding 1): with run=1 nothing runs and nothing is fetched until
// "Download and run"; "Use the built-in model instead" switches to the default pair; built-in,
// same-origin and curated Hub models need no question. The "other host" is served by Playwright's
// router from the built-in tiny-llama files, so the download is real and every request is counted.
import { expect, test, type BrowserContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OUT_DIR } from './support/model-pages';

const HOST = 'https://models.example.org';
const FOREIGN = `${HOST}/tiny/`;
const TINY = resolve(OUT_DIR, 'models', 'builtin', 'tiny-llama');

/** Serves FOREIGN from the built-in tiny-llama folder; returns the list of paths requested. */
async function serveForeign(context: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  await context.route(`${HOST}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    seen.push(path);
    const rel = path.replace(/^\/tiny\//, '');
    try {
      const body = readFileSync(join(TINY, rel));
      await route.fulfill({ status: 200, body, headers: { 'content-type': rel.endsWith('.json') ? 'application/json' : 'application/octet-stream', 'access-control-allow-origin': '*' } });
    } catch {
      await route.fulfill({ status: 404, body: 'not found', headers: { 'access-control-allow-origin': '*' } });
    }
  });
  return seen;
}

test('a link with run=1 and a model on another host asks first, fetches nothing before "Download and run", then runs', async ({ page, context }) => {
  test.setTimeout(300_000);
  const seen = await serveForeign(context);
  await page.goto(`/?model=${encodeURIComponent(FOREIGN)}&backend=wasm&max=4&panels=greedy&run=1`);
  const card = page.getByTestId('link-consent');
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText('models.example.org');
  await expect(card).toContainText(FOREIGN);
  await expect(card).toContainText('Nothing has been downloaded');
  await expect(page.getByTestId('generate')).toBeEnabled();
  // The prompt's token view does not read the model's tokenizer from that host either.
  await expect(page.getByTestId('prompt-tokens-error')).toContainText('once the download of this model is allowed');
  await page.waitForTimeout(1500);
  expect(seen).toEqual([]);
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'idle');
  // Generate is refused with the reason while the question is open.
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('validation-message')).toContainText('another site');
  expect(seen).toEqual([]);

  await page.getByTestId('link-consent-allow').click();
  await expect(card).toHaveCount(0);
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  expect(seen).toContain('/tiny/config.json');
  expect(seen).toContain('/tiny/onnx/model.onnx');
  const rec = (await page.evaluate(() => window.logitscope.exportRun()))!;
  expect(rec.model.source).toBe(FOREIGN);
  expect(rec.panels[0]!.tokens).toHaveLength(4);
});

test('"Use the built-in model instead" switches to the default pair and fetches nothing from the other host', async ({ page, context }) => {
  test.setTimeout(300_000);
  const seen = await serveForeign(context);
  await page.goto(`/?model=${encodeURIComponent(FOREIGN)}&draft=${encodeURIComponent(`${HOST}/draft/`)}&backend=wasm&max=4&panels=greedy`);
  const card = page.getByTestId('link-consent');
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText('Allow download');
  await expect(card.locator('li')).toHaveCount(2);
  await page.getByTestId('link-consent-builtin').click();
  await expect(card).toHaveCount(0);
  await expect(page.getByTestId('model-select')).toHaveValue('builtin:stories260k');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  const rec = (await page.evaluate(() => window.logitscope.exportRun()))!;
  expect(rec.model.source).toBe('builtin:stories260k');
  expect(seen).toEqual([]);
});

test('built-in, same-origin and curated Hub models in a link need no question', async ({ page }) => {
  for (const model of ['builtin:tiny-llama', '/models/builtin/tiny-llama/', 'HuggingFaceTB/SmolLM2-135M-Instruct']) {
    await page.goto(`/?model=${encodeURIComponent(model)}&backend=wasm`);
    await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 30_000 });
    await page.waitForTimeout(300);
    await expect(page.getByTestId('link-consent'), model).toHaveCount(0);
  }
  // An uncurated Hub id does ask (the Hub is another host).
  await page.goto(`/?model=someone/some-model&backend=wasm`);
  await expect(page.getByTestId('link-consent')).toContainText('huggingface.co');
});
