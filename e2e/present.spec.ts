// Presentation mode and the sticky run bar (issue #12 item 4), at 1280×800 on the default trained
// pair: Generate in view without scrolling (and while a run streams and the page is scrolled),
// presentation mode showing Generate and both streams after a real run, pinned popovers, enlarging
// a panel, folding the settings column.
import { expect, test, type Locator, type Page } from '@playwright/test';

const VIEW = { width: 1280, height: 800 };
const STORIES = 'model=builtin:stories260k&draft=builtin:stories-draft';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }, info) => {
  const context = await browser.newContext({ baseURL: info.project.use.baseURL, viewport: VIEW, serviceWorkers: 'block' });
  page = await context.newPage();
});

test.afterAll(async () => {
  await page.context().close();
});

async function open(query: string): Promise<void> {
  await page.goto(`/?${STORIES}&${query}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
}

/** The element's box lies wholly inside the viewport, and nothing covers its centre. */
async function expectInView(el: Locator, what: string): Promise<void> {
  const box = await el.boundingBox();
  expect(box, `${what} has a box`).not.toBeNull();
  expect(box!.y, `${what} top`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${what} left`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what} bottom`).toBeLessThanOrEqual(VIEW.height);
  expect(box!.x + box!.width, `${what} right`).toBeLessThanOrEqual(VIEW.width);
  const onTop = await el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === node || node.contains(hit));
  });
  expect(onTop, `${what} is not covered`).toBe(true);
}

const scrollY = () => page.evaluate(() => window.scrollY);

test('normal mode: Generate is in view at load, and Generate and Stop stay in view while a run streams and the page is scrolled', async () => {
  await open('max=400&seed=4&panels=greedy,sample(temperature=1.2),sample(temperature=0.8),sample(temperature=1.5)&prompt=Once%20upon%20a%20time');
  await expect(page.getByTestId('app')).toHaveAttribute('data-mode', 'normal');
  expect(await scrollY()).toBe(0);
  await expectInView(page.getByTestId('generate'), 'Generate at load');
  await page.getByTestId('generate').click();
  // Mid-run: tokens are on screen and more are coming.
  await expect(page.getByTestId('panel-0').getByTestId('tokens').locator('.token').nth(3)).toBeAttached({ timeout: 120_000 });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  expect(await scrollY(), 'the page scrolled').toBeGreaterThan(200);
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'running');
  await expectInView(page.getByTestId('generate'), 'Generate while streaming, scrolled');
  await expectInView(page.getByTestId('stop'), 'Stop while streaming, scrolled');
  await page.screenshot({ path: test.info().outputPath('normal-mid-run-scrolled.png') });
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', /^(done|error)$/, { timeout: 60_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
});

test('the settings column folds away and comes back with what was typed', async () => {
  const column = page.getByTestId('settings-column');
  const toggle = page.getByTestId('settings-toggle');
  await page.getByTestId('prompt').fill('The dragon said');
  const before = (await page.getByTestId('panels').boundingBox())!.width;
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(column).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const wide = (await page.getByTestId('panels').boundingBox())!.width;
  expect(wide, 'panels take the freed width').toBeGreaterThan(before + 250);
  await toggle.click();
  await expect(column).toBeVisible();
  await expect(page.getByTestId('prompt')).toHaveValue('The dragon said');
});

test('presentation mode (mode=present), 2 panels: after a real run Generate and both streams are in view without scrolling', async () => {
  await open('mode=present&seed=2&panels=greedy,sample(temperature=0.8)&prompt=Once%20upon%20a%20time');
  await expect(page.getByTestId('app')).toHaveAttribute('data-mode', 'present');
  await expect(page.getByTestId('presentation-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('settings-column')).toBeHidden();
  // Larger type: the root size every rem scales with.
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('22px');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  expect(await scrollY()).toBe(0);
  await expectInView(page.getByTestId('generate'), 'Generate');
  for (const i of [0, 1]) {
    const panel = page.getByTestId(`panel-${i}`);
    await expect(panel.getByTestId('tokens').locator('.token')).toHaveCount(32);
    await expectInView(panel.locator('.stream'), `panel ${i + 1} stream`);
  }
  // Side by side across the page: the two streams share a row.
  const tops = await page.locator('.stream').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(tops[0]).toBe(tops[1]);
  await page.screenshot({ path: test.info().outputPath('presentation-1280x800.png') });
});

test('a pinned popover stays open after the pointer leaves, closes on Escape; Enter pins it, its close button is next in the Tab order', async () => {
  const token = page.getByTestId('panel-1').getByTestId('tokens').locator('.token').nth(5);
  const pop = page.getByTestId('token-popover');
  await token.hover();
  await expect(pop).toHaveAttribute('role', 'tooltip');
  await token.click();
  await expect(pop).toHaveAttribute('data-pinned', 'true');
  await expect(pop).toHaveAttribute('role', 'dialog');
  await page.mouse.move(VIEW.width - 5, VIEW.height - 5);
  // Well past the hover popover's hide delay.
  await page.waitForTimeout(800);
  await expect(pop).toBeVisible();
  await expect(pop).toContainText('token 6 ·');
  await page.screenshot({ path: test.info().outputPath('presentation-pinned.png') });
  await page.keyboard.press('Escape');
  await expect(pop).toHaveCount(0);

  // Keyboard: Enter pins, Tab reaches the close button, Enter there closes and focus returns to the token.
  await expect(token).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(pop).toHaveAttribute('data-pinned', 'false');
  await page.keyboard.press('Enter');
  await expect(pop).toHaveAttribute('data-pinned', 'true');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('popover-close')).toBeFocused();
  await expect(pop).toBeVisible();
  await page.getByTestId('popover-close').press('Enter');
  await expect(pop).toHaveCount(0);
  await expect(token).toBeFocused();
  // Tab from the close button goes on past the token's stream, not back to <body>.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const after = await page.evaluate(() => ({ tag: document.activeElement?.tagName ?? '', inPopover: Boolean(document.activeElement?.closest('.popover')) }));
  expect(after.tag).not.toBe('BODY');
  expect(after.inPopover).toBe(false);
  await expect(pop, 'pinned: stays while focus moves on').toBeVisible();
  await page.getByTestId('popover-close').click();
  await expect(pop).toHaveCount(0);
});

test('one panel can be enlarged and restored', async () => {
  const first = page.getByTestId('panel-0');
  const second = page.getByTestId('panel-1');
  const normalWidth = (await second.boundingBox())!.width;
  await second.getByTestId('panel-enlarge').click();
  await expect(first).toBeHidden();
  await expect(page.getByTestId('enlarged-note')).toContainText('Panel 2 of 2 is enlarged');
  await expect(second.getByTestId('panel-enlarge')).toHaveAttribute('aria-pressed', 'true');
  const big = (await second.boundingBox())!.width;
  expect(big).toBeGreaterThan(normalWidth * 1.8);
  expect(await second.locator('.stream').evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThan(
    await page.locator('html').evaluate((e) => parseFloat(getComputedStyle(e).fontSize) * 1.5),
  );
  await second.getByTestId('panel-enlarge').click();
  await expect(first).toBeVisible();
  await expect(page.getByTestId('enlarged-note')).toHaveCount(0);
  // The note's own button restores too.
  await first.getByTestId('panel-enlarge').click();
  await expect(second).toBeHidden();
  await page.getByTestId('restore-panels').click();
  await expect(second).toBeVisible();
});

test('the page toggle leaves presentation mode (and enters it again); Share keeps mode=present', async () => {
  const toggle = page.getByTestId('presentation-toggle');
  await toggle.click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-mode', 'normal');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('settings-column')).toBeVisible();
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('18px');
  await toggle.click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-mode', 'present');
  await expect(page.getByTestId('settings-column')).toBeHidden();
  await page.getByTestId('settings-toggle').click();
  await page.getByTestId('share').click();
  await expect.poll(() => page.evaluate(() => location.search)).toMatch(/&mode=present$/);
});

test('an unknown mode in the link is reported by name; the rest of the link applies', async () => {
  await open('mode=slideshow&max=7');
  await expect(page.getByTestId('url-warnings')).toContainText('mode: "slideshow" is not a page mode (one of: present, step)');
  await expect(page.getByTestId('app')).toHaveAttribute('data-mode', 'normal');
  await expect(page.getByTestId('max-tokens')).toHaveValue('7');
});
