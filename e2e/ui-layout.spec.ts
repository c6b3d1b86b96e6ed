// Layout invariants at 1280×800 and 390×844 with six live panels, and keyboard-only use of the tokens.
import { expect, test, type Page } from '@playwright/test';

const PANELS = 'greedy,sample(temperature=0.8),speculative(k=3),prompt-lookup,contrastive,greedy(repetitionPenalty=1.3)';
const QUERY = `?model=builtin:tiny-llama&draft=builtin:tiny-llama-draft&max=12&seed=5&panels=${PANELS}&prompt=the%20cat%20sat%20on%20the%20mat.%20the%20cat`;

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }, info) => {
  const context = await browser.newContext({ baseURL: info.project.use.baseURL, viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  page = await context.newPage();
  await page.goto(`/${QUERY}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 400_000 });
});

test.afterAll(async () => {
  await page.context().close();
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function panelBoxes(): Promise<Box[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('article[data-testid^="panel-"]')).map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
    }),
  );
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
}

async function checkLayout(width: number): Promise<Box[]> {
  const boxes = await panelBoxes();
  expect(boxes).toHaveLength(6);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `panels ${i} and ${j} overlap`).toBe(false);
  for (const b of boxes) {
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(width + 0.5);
  }
  const scroll = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  expect(scroll.sw, 'horizontal scroll').toBeLessThanOrEqual(scroll.cw);
  return boxes;
}

test('1280×800: panels side by side in columns, none overlapping, no horizontal scroll', async ({ browserName }, info) => {
  expect(browserName).toBe('chromium');
  const boxes = await checkLayout(1280);
  const rows = new Set(boxes.map((b) => Math.round(b.y)));
  expect(rows.size).toBeLessThan(boxes.length);
  expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: info.outputPath('wide.png'), fullPage: true });
});

test('390×844: one column, no overlap, no horizontal scroll, popover and charts inside the screen', async ({ browserName }, info) => {
  expect(browserName).toBe('chromium');
  await page.setViewportSize({ width: 390, height: 844 });
  const boxes = await checkLayout(390);
  expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBe(1);
  const tok = page.getByTestId('panel-2').getByTestId('tokens').locator('.token').nth(3);
  await tok.tap().catch(() => tok.click());
  const pop = page.getByTestId('token-popover');
  await expect(pop).toBeVisible();
  const r = await pop.boundingBox();
  expect(r!.x).toBeGreaterThanOrEqual(0);
  expect(r!.x + r!.width).toBeLessThanOrEqual(390);
  await page.keyboard.press('Escape');
  await page.mouse.click(5, 5);
  const charts = await page.getByTestId('charts').boundingBox();
  expect(charts!.x + charts!.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: info.outputPath('phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('keyboard only: Tab reaches a token, its popover opens, arrows move, Escape closes', async () => {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Home');
  let onToken = false;
  for (let i = 0; i < 200 && !onToken; i++) {
    await page.keyboard.press('Tab');
    onToken = await page.evaluate(() => document.activeElement?.classList.contains('token') ?? false);
  }
  expect(onToken, 'Tab reached a token').toBe(true);
  const where = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return {
      panel: el.closest('article')?.getAttribute('data-testid') ?? '',
      index: Number(el.dataset.index),
      describedBy: el.getAttribute('aria-describedby'),
    };
  });
  const panel = page.getByTestId(where.panel);
  const pop = page.getByTestId('token-popover');
  await expect(pop).toBeVisible();
  await expect(pop).toHaveAttribute('role', 'tooltip');
  expect(where.describedBy).toBe(await pop.getAttribute('id'));
  await expect(pop).toContainText(`token ${where.index + 1} ·`);
  await page.keyboard.press('ArrowRight');
  await expect(pop).toContainText(`token ${where.index + 2} ·`);
  await page.keyboard.press('End');
  const count = await panel.getByTestId('tokens').locator('.token').count();
  await expect(pop).toContainText(`token ${count} ·`);
  // One tab stop per panel: the focused token is the panel's only token in the Tab order.
  expect(await panel.locator('.token[tabindex="0"]').count()).toBe(1);
  await page.keyboard.press('Escape');
  await expect(pop).toHaveCount(0);
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => ({
    token: document.activeElement?.classList.contains('token') ?? false,
    panel: document.activeElement?.closest('article')?.getAttribute('data-testid') ?? '',
  }));
  expect(next.token && next.panel === where.panel).toBe(false);
});
