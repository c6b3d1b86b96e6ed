// Hardening of a run's lifecycle (issue #11): a run that fails part-way exports its own partial
// record (never the previous run's); Stop is honoured inside long steps, and a worker that does not
// answer Stop is restarted with the tokens on screen kept; at most two models stay loaded.
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { RunRecord } from '../protocol';
import { openApp } from './helpers';
import { greedy, mustRun, pendingRun, startRun } from './support/model-pages';

const tokensOnScreen = (page: Page) => page.getByTestId('panel-0').getByTestId('tokens').locator('.token');

test('a run that loses its device part-way exports its partial record, not the previous run', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  const first = await mustRun(page, greedy('builtin:tiny-llama', 4, { backend: 'webgpu' }));
  expect(first.model.backend).toBe('webgpu');
  // Greedy from "The" runs on for over 1000 tokens on this model (no EOS): the loss lands mid-run.
  await startRun(page, greedy('builtin:tiny-llama', 1000, { backend: 'webgpu', prompt: 'The' }));
  // The previous record no longer describes the panels: nothing to export while the run streams.
  await expect(tokensOnScreen(page)).not.toHaveCount(0, { timeout: 120_000 });
  expect(await page.evaluate(() => window.logitscope.exportRun())).toBeNull();
  await expect(page.getByTestId('export')).toBeDisabled();
  expect(await page.evaluate(() => window.logitscope.debug!.loseDevice())).toBe(true);
  expect(await pendingRun(page)).toContain('[device-lost]');
  const shown = await tokensOnScreen(page).count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(1000);

  const partial = (await page.evaluate(() => window.logitscope.exportRun()))!;
  expect(partial.partial?.error).toContain('[device-lost]');
  expect(partial.createdAt).not.toBe(first.createdAt);
  expect(partial.maxNewTokens).toBe(1000);
  expect(partial.panels[0]!.tokens.length).toBe(shown);
  expect(partial.panels[0]!.stats.finishReason).toBe('error');

  // The Export button downloads the same partial record.
  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as RunRecord;
  expect(file.partial?.error).toContain('[device-lost]');
  expect(file.panels[0]!.tokens.map((t) => t.id)).toEqual(partial.panels[0]!.tokens.map((t) => t.id));

  // It imports back (and an old record without the field still does: the hostile-import spec).
  await page.getByTestId('import-file').setInputFiles({ name: 'partial.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('imported-banner')).toBeVisible();
  await expect(tokensOnScreen(page)).toHaveCount(shown);
});
