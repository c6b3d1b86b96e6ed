// A first visit (issue #12): three panels side by side on the default trained pair, and the rough
// edges seen there, each checked in the page: aligned streams, explanations, draft chips by text,
// honest timeline counts, chart axes, legend toggles and Tab order, everything drawn off screen,
// Stop's status, parameter suggestions, panels refused before a run, the Ctrl+Enter hint.
import { expect, test, type Page } from '@playwright/test';
import type { RunRecord } from '../protocol';

const PANELS = 'greedy,speculative(k=3),sample(temperature=0.8;topP=0.9;minP=0.05)';
const QUERY = `?model=builtin:stories260k&draft=builtin:stories-draft&max=24&seed=3&panels=${encodeURIComponent(PANELS)}&prompt=${encodeURIComponent('Once upon a time')}`;

test.describe.configure({ mode: 'serial' });

let page: Page;
let record: RunRecord;

test.beforeAll(async ({ browser }, info) => {
  test.setTimeout(420_000);
  const context = await browser.newContext({ baseURL: info.project.use.baseURL, viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  page = await context.newPage();
  await page.goto(`/${QUERY}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('prompt-shortcut')).toHaveText('(Ctrl+Enter generates)');
  // Ctrl+Enter in the prompt runs, as the hint says.
  await page.getByTestId('prompt').press('Control+Enter');
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 400_000 });
  await expect(page.locator('.run-status')).toHaveText('Done');
  const exported = await page.evaluate(() => window.logitscope.exportRun());
  expect(exported).not.toBeNull();
  record = exported!;
});

test.afterAll(async () => {
  await page.context().close();
});

test('side-by-side panels: streams start level, names stay on one line, each has its summary and ?', async () => {
  // Panels that share a row of the grid (same top) have their streams start at the same height.
  const boxes = await page.locator('article.panel').evaluateAll((els) =>
    els.map((e) => ({ top: Math.round(e.getBoundingClientRect().top), stream: e.querySelector('.stream')!.getBoundingClientRect().top })),
  );
  expect(boxes).toHaveLength(3);
  const rows = new Map<number, typeof boxes>();
  for (const b of boxes) rows.set(b.top, [...(rows.get(b.top) ?? []), b]);
  expect(Math.max(...[...rows.values()].map((r) => r.length)), 'some panels side by side').toBeGreaterThan(1);
  for (const row of rows.values()) for (const b of row) expect(Math.abs(b.stream - row[0]!.stream)).toBeLessThan(1);
  const titles = await page.locator('article.panel h2').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
  for (const h of titles) expect(h).toBeLessThan(40);
  await expect(page.getByTestId('strategy-summary')).toHaveCount(3);
  const spec = page.getByTestId('panel-1');
  await spec.getByTestId('explain-toggle').click();
  await expect(spec.getByTestId('explanation')).toContainText('min(1,');
  await expect(spec.getByTestId('explanation').getByRole('link', { name: /Leviathan/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2211.17192');
  await expect(spec.getByTestId('explain-toggle')).toHaveAttribute('aria-expanded', 'true');
  await page.screenshot({ path: test.info().outputPath('first-visit-1280.png') });
  await spec.getByTestId('explain-toggle').click();
  await expect(spec.getByTestId('explanation')).toHaveCount(0);
});

test('speculative timeline: chips show text, its legend explains the marks, the summary counts what was kept', async () => {
  const timeline = page.getByTestId('panel-1').getByTestId('speculative-timeline');
  await expect(timeline.getByTestId('timeline-legend')).toContainText('↻');
  const chips = await timeline.getByTestId('draft-chip').allTextContents();
  expect(chips.length).toBeGreaterThan(0);
  for (const c of chips) expect(c).not.toMatch(/#\d/);
  const tokens = record.panels[1]!.tokens;
  const accepted = tokens.filter((t) => t.annotations.kind === 'speculative' && t.annotations.fate === 'accepted').length;
  const iterations = new Set(tokens.map((t) => (t.annotations.kind === 'speculative' ? t.annotations.iteration : -1))).size;
  await expect(timeline.locator('summary')).toHaveText(`Iterations: ${iterations}, accepted drafts: ${accepted}`);
});

test('token text agrees between the stream record, the popover header and its list', async () => {
  for (const p of record.panels)
    for (const t of p.tokens) {
      const listed = t.top.find((e) => e.id === t.id);
      if (listed) expect(listed.text, `token ${t.id}`).toBe(t.text);
    }
  await expect(page.getByTestId('legend-glyphs')).toContainText('␣ space');
});

test('charts: distinct y labels, series toggled from the legend, nothing in them on the Tab path', async () => {
  const charts = page.getByTestId('charts');
  for (const id of ['chart-entropy', 'chart-prob']) {
    const ticks = await page.getByTestId(id).locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    expect(ticks.length).toBeGreaterThan(2);
    expect(new Set(ticks).size, `${id} ticks ${ticks.join(', ')}`).toBe(ticks.length);
  }
  const lines = page.getByTestId('chart-entropy').locator('.recharts-line-curve');
  await expect(lines).toHaveCount(3);
  const toggle = charts.getByTestId('series-toggle').first();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(lines).toHaveCount(2);
  await toggle.click();
  await expect(lines).toHaveCount(3);
  const focusable = await charts.locator('.chart-grid').evaluate((grid) =>
    Array.from(grid.querySelectorAll<HTMLElement | SVGElement>('*')).filter((e) => e.tabIndex >= 0 && !(e as HTMLElement).hidden).map((e) => e.tagName),
  );
  expect(focusable).toEqual([]);
});

test('off-screen panels and charts are drawn: a full-page screenshot shows them without scrolling', async () => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.setViewportSize({ width: 700, height: 400 });
  const skipped = await page.locator('article.panel').evaluateAll((els) => els.filter((e) => !e.checkVisibility({ contentVisibilityAuto: true })).length);
  expect(skipped).toBe(0);
  await expect(page.getByTestId('chart-entropy').locator('.recharts-line-curve')).toHaveCount(3);
  await page.screenshot({ path: test.info().outputPath('first-visit-full.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('Stop: the status line says Stopped, like the panels', async () => {
  await page.getByTestId('max-tokens').fill('400');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'running', { timeout: 120_000 });
  await expect(page.getByTestId('panel-0').getByTestId('tokens').locator('.token').nth(3)).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('panel-0').getByTestId('panel-stats')).toContainText('stopped');
  await expect(page.locator('.run-status')).toHaveText('Stopped');
});

test('an unknown parameter suggests the right one, and one click uses it', async () => {
  await page.goto(`/?model=builtin:tiny-llama&panels=${encodeURIComponent('sample(top_p=0.9)')}`);
  const panel = page.getByTestId('panel-0');
  await expect(panel.getByTestId('param-error')).toContainText('(did you mean "topP"?)', { timeout: 60_000 });
  await panel.getByTestId('param-rename').click();
  await expect(panel.getByTestId('param-error')).toHaveCount(0);
  await expect(page.locator('#panel-0-topP')).toHaveValue('0.9');
});

test('a panel the UI knows cannot run is refused before the run starts', async () => {
  await page.goto(`/?model=HuggingFaceTB/SmolLM2-135M-Instruct&panels=greedy,contrastive-search`);
  await expect(page.getByTestId('panel-1').getByTestId('panel-cannot-run')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('validation-message')).toContainText('Panel 2: Contrastive search needs a model that exports last_hidden_state');
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'idle');
});
