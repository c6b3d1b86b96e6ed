import { expect, test } from '@playwright/test';
import type { RunRecord } from '../protocol';
import { apiRun, openApp } from './helpers';

// Hostile run files: an alternatives list longer than the importer checks is refused with its path
// (it used to be kept half-checked, and a null 257th entry blanked the page), and token text with
// bidi controls is shown with visible escapes instead of reordering the text after it.

const RLO = '\u202e';

test('hostile imports: 257 alternatives refused by path; bidi controls shown as escapes; the page keeps working', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  const rec: RunRecord = await apiRun(page, { prompt: 'Once upon a time', maxNewTokens: 4, backend: 'wasm', panels: [{ strategy: 'greedy', params: {} }] });
  const load = async (name: string, r: unknown) =>
    page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(r)) });

  const long = structuredClone(rec) as unknown as { panels: { tokens: { top: unknown[] }[] }[] };
  const top = long.panels[0]!.tokens[1]!.top;
  long.panels[0]!.tokens[1]!.top = [...Array.from({ length: 256 }, (_, i) => top[i % top.length]), null];
  await load('long-top.json', long);
  await expect(page.getByTestId('import-error')).toContainText('panels[0].tokens[1].top must be at most 256 alternatives');
  await expect(page.getByTestId('imported-banner')).toHaveCount(0);
  await expect(page.getByTestId('panel-0').locator('.token')).toHaveCount(4);

  const bidi = structuredClone(rec);
  bidi.panels[0]!.tokens[1]!.text = `${RLO}evil`;
  await load('bidi.json', bidi);
  await expect(page.getByTestId('imported-banner')).toBeVisible();
  const stream = page.getByTestId('panel-0').getByTestId('tokens');
  await expect(stream.locator('.token').nth(1)).toHaveText('⟨U+202E⟩evil');
  expect(await stream.evaluate((el) => el.textContent ?? '')).not.toContain(RLO);
  // The popover shows the same escape.
  await stream.locator('.token').nth(1).click();
  await expect(page.getByTestId('token-popover')).toContainText('⟨U+202E⟩evil');
  expect(await page.getByTestId('render-error').count()).toBe(0);
});
