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

// A run file at the limits (6 × 2048 tokens) is parsed in a worker and appears over a few frames
// instead of one long freeze: the streams catch up 128 tokens per frame, the charts draw at most 512 points per line, and a
// file with more than a run can produce is refused.
test('a 6 × 2048-token import appears progressively, charts stay at ≤ 512 points per line, and more than a run makes is refused', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  const six = Array.from({ length: 6 }, () => ({ strategy: 'greedy', params: {} }));
  const rec: RunRecord = await apiRun(page, { prompt: 'Once upon a time', maxNewTokens: 64, backend: 'wasm', panels: six });
  const big = structuredClone(rec);
  big.maxNewTokens = 2048;
  for (const p of big.panels) {
    const src = p.tokens;
    p.tokens = Array.from({ length: 2048 }, (_, i) => src[i % src.length]!);
    p.stats = { ...p.stats, newTokens: 2048 };
  }
  const file = { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(big)) };
  // Count the spans of every frame from the import on: the first frames show part of the record.
  await page.evaluate(() => {
    const w = window as unknown as { __counts: number[] };
    w.__counts = [];
    const tick = () => {
      w.__counts.push(document.querySelectorAll('[data-testid=tokens] .token').length);
      if (w.__counts.length < 2000) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('imported-banner')).toBeVisible({ timeout: 60_000 });
  // Parsed and checked in a worker of its own, not on the page's thread.
  expect(workers.some((u) => /run-import\.worker/.test(u)), workers.join(', ')).toBe(true);
  await expect(page.locator('[data-testid=tokens] .token')).toHaveCount(6 * 2048, { timeout: 120_000 });
  const counts = await page.evaluate(() => (window as unknown as { __counts: number[] }).__counts);
  const partial = counts.filter((n) => n > 6 * 64 && n < 6 * 2048);
  expect(partial.length, `frames with part of the record on screen: ${partial.length}`).toBeGreaterThanOrEqual(3);
  // The entropy chart draws averaged buckets: at most 512 points per line.
  const chart = page.getByTestId('charts');
  await chart.scrollIntoViewIfNeeded();
  const d = await page.locator('[data-testid=chart-entropy] path.recharts-line-curve').first().getAttribute('d', { timeout: 60_000 });
  const points = (d ?? '').split(/[ML]/).filter((x) => x.trim() !== '').length;
  expect(points).toBeGreaterThan(100);
  expect(points).toBeLessThanOrEqual(512);

  const tooMany = structuredClone(big);
  tooMany.panels.push(structuredClone(big.panels[0]!));
  await page.getByTestId('import-file').setInputFiles({ ...file, name: 'seven.json', buffer: Buffer.from(JSON.stringify(tooMany)) });
  await expect(page.getByTestId('import-error')).toContainText('at most 6 panels');
  await expect(page.locator('[data-testid=tokens] .token')).toHaveCount(6 * 2048);
});
