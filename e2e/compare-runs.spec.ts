// Comparing two saved runs (issue #12 item 6): a run file opened with "Compare with a saved run…"
// colours each panel by where it departs from the same panel of that run (not only from greedy),
// on the default trained pair; a file with other prompt tokens is refused with the reason, and the
// panels on screen stay as they were.
import { expect, test, type Page } from '@playwright/test';
import type { RunRecord } from '../protocol';

const QUERY = '?model=builtin:stories260k&draft=builtin:stories-draft&max=24&panels=greedy,sample(temperature=1.2)&prompt=Once%20upon%20a%20time';

async function runWithSeed(page: Page, seed: number): Promise<RunRecord> {
  await page.getByTestId('seed').fill(String(seed));
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  const record = await page.evaluate(() => window.logitscope.exportRun());
  expect(record).not.toBeNull();
  return record!;
}

const file = (name: string, record: RunRecord) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(record)) });

function departure(a: RunRecord, b: RunRecord, panel: number): number | null {
  const x = a.panels[panel]!.tokens.map((t) => t.id);
  const y = b.panels[panel]!.tokens.map((t) => t.id);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return i;
  return null;
}

test('a saved run with the same prompt: each panel departs from its saved twin where the token ids say; another prompt is refused', async ({ page }) => {
  await page.goto(`/${QUERY}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  const first = await runWithSeed(page, 1);
  const second = await runWithSeed(page, 7);
  const at = departure(second, first, 1);
  expect(at, 'sampling at T=1.2 with two seeds departs somewhere in 24 tokens').not.toBeNull();
  expect(departure(second, first, 0)).toBeNull();

  await page.getByTestId('compare-file').setInputFiles(file('seed-1.json', first));
  await expect(page.getByTestId('compare-banner')).toContainText('seed-1.json');
  await expect(page.getByTestId('compare-problem')).toHaveCount(0);
  await expect(page.getByTestId('panel-0').getByTestId('diff-summary')).toHaveText('Same as the saved run’s panel 1 (greedy) so far (24 tokens)');
  await expect(page.getByTestId('panel-1').getByTestId('diff-summary')).toHaveText(`Departs from the saved run’s panel 2 (sample) at token ${at! + 1}`);
  const marks = await page
    .getByTestId('panel-1')
    .locator('.token')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-diff')));
  expect(marks.indexOf('departure')).toBe(at);
  expect(marks.slice(0, at!).every((m) => m === 'same')).toBe(true);
  await expect(page.getByTestId('legend')).toContainText('the same panel of the saved run');

  // Other prompt tokens: refused with the reason; the run on screen keeps its heatmap colours and its tokens.
  const other = { ...first, prompt: 'Lily', promptTokens: [1, 2, 3] };
  await page.getByTestId('compare-file').setInputFiles(file('other.json', other));
  await expect(page.getByTestId('compare-problem')).toContainText('its prompt "Lily" is 3 tokens and the run on screen has');
  await expect(page.getByTestId('panel-1').getByTestId('diff-summary')).toHaveCount(0);
  await expect(page.getByTestId('panel-1').locator('.token')).toHaveCount(second.panels[1]!.tokens.length);

  // A file that is not a run record is explained, field by field, like Import.
  await page.getByTestId('compare-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"x"}') });
  await expect(page.getByTestId('compare-error')).toContainText('“bad.json” cannot be compared');

  await page.getByTestId('compare-close').click();
  await expect(page.getByTestId('compare-banner')).toHaveCount(0);
});
