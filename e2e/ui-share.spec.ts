// Share URL round trip of a panel setup built with the panel controls, and hostile / invalid input
// (URL fields and typed parameters) that must be explained inline and never start a run.
import { expect, test, type Page } from '@playwright/test';

/** Everything the form shows: strategies, every parameter control's value, the run fields. */
async function formState(page: Page) {
  return page.evaluate(() => {
    const value = (el: Element | null) =>
      el instanceof HTMLInputElement && el.type === 'checkbox' ? String(el.checked) : ((el as HTMLInputElement | null)?.value ?? null);
    const panels = Array.from(document.querySelectorAll('article[data-testid^="panel-"]')).map((a) => ({
      strategy: value(a.querySelector('[data-testid=strategy-select]')),
      params: Object.fromEntries(
        Array.from(a.querySelectorAll('[data-param]')).map((p) => [p.getAttribute('data-param'), value(p.querySelector('input, select, textarea'))]),
      ),
    }));
    const field = (id: string) => value(document.querySelector(`[data-testid=${id}]`));
    return { panels, prompt: field('prompt'), seed: field('seed'), max: field('max-tokens'), draft: field('draft-model'), model: field('model-select') };
  });
}

/** Opens the app; without `model=` in the query, on the test model with no draft (the default pair has one). */
async function open(page: Page, query = ''): Promise<void> {
  const q = /[?&]model=/.test(query) ? query : `${query ? `${query}&` : '?'}model=builtin:tiny-llama`;
  await page.goto(`/${q}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  // The add-panel row appears once the strategy catalog has arrived.
  await expect(page.getByTestId('add-panel')).toBeVisible({ timeout: 60_000 });
}

async function openParams(page: Page, panel: number): Promise<void> {
  const details = page.getByTestId(`panel-${panel}`).locator('details.params');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

test('a setup built with the panel controls round-trips through the share URL', async ({ page, context }) => {
  await open(page);
  await page.getByTestId('panel-0').getByTestId('strategy-select').selectOption('sample');
  await openParams(page, 0);
  await page.locator('#panel-0-temperature').fill('0.7');
  await page.locator('#panel-0-topP').fill('0.9');
  await page.getByTestId('add-panel-strategy').selectOption('speculative');
  await page.getByTestId('add-panel').click();
  await expect(page.getByTestId('panel-1').getByTestId('panel-needs-draft')).toBeVisible();
  await page.getByTestId('panel-1').getByTestId('use-suggested-draft').click();
  await expect(page.getByTestId('panel-1').getByTestId('panel-needs-draft')).toHaveCount(0);
  await openParams(page, 1);
  await page.locator('#panel-1-k').fill('3');
  await page.locator('#panel-1-schedule').selectOption('heuristic');
  await page.getByTestId('add-panel-strategy').selectOption('grad');
  await page.getByTestId('add-panel').click();
  await openParams(page, 2);
  await page.locator('#panel-2-corpus').fill('Cats sit, dogs run; (birds) fly = "free".\n\n100% true <b>x</b>');
  await page.locator('#panel-2-variant').selectOption('B');
  await page.getByTestId('panel-0').getByTestId('panel-duplicate').click();
  await page.getByTestId('panel-3').getByTestId('panel-move-earlier').click();
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('max-tokens').fill('16');
  await page.getByTestId('prompt').fill('Héllo “world” & <friends>, 100%');
  const state = await formState(page);
  expect(state.panels.map((p) => p.strategy)).toEqual(['sample', 'sample', 'grad', 'speculative']);
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toContain('panels=');

  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('add-panel')).toBeVisible({ timeout: 60_000 });
  await expect(other.getByTestId('url-warnings')).toHaveCount(0);
  expect(await formState(other)).toEqual(state);
  await other.getByTestId('share').click();
  expect(await other.getByTestId('share-url').inputValue()).toBe(url);
});

test('hostile and invalid URL fields are rejected field by field, shown inline, never run or rendered as HTML', async ({ page }) => {
  const onnx: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.onnx')) onnx.push(r.url());
  });
  const panels = 'speculative(k=-3),greedy(temperature=abc),nope,grad(corpus="%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D1%22%3E")';
  const q = `?panels=${encodeURIComponent(panels)}&max=NaN&seed=-5&model=javascript:alert(1)&prompt=${encodeURIComponent('<img src=x onerror="window.__xss=2">')}&draft=builtin:tiny-llama-draft`;
  await open(page, q);
  const warnings = page.getByTestId('url-warnings');
  await expect(warnings).toContainText('max: "NaN" is not a positive integer');
  await expect(warnings).toContainText('seed: "-5"');
  await expect(warnings).toContainText('model: "javascript:alert(1)"');
  await expect(page.getByTestId('panel-0').getByTestId('param-error')).toContainText('k must be an integer in [1, 16], got -3');
  await expect(page.getByTestId('panel-1').getByTestId('param-error')).toContainText('temperature must be a number in [0, 100], got "abc"');
  await expect(page.getByTestId('panel-2').getByTestId('param-error')).toContainText('Unknown strategy “nope”');
  await expect(page.locator('#panel-3-corpus')).toHaveValue('<img src=x onerror="window.__xss=1">');
  await expect(page.getByTestId('prompt')).toHaveValue('<img src=x onerror="window.__xss=2">');
  await page.getByTestId('generate').click();
  const message = page.getByTestId('validation-message');
  await expect(message).toContainText('Panel 1 (speculative): k must be an integer in [1, 16], got -3');
  await expect(message).toContainText('Panel 3: unknown strategy "nope"');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'idle');
  expect(onnx).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('[data-testid=app] img').count()).toBe(0);
});

test('typed parameter values are checked as they are typed', async ({ page }) => {
  await open(page, '?panels=contrastive-search');
  await openParams(page, 0);
  const k = page.locator('#panel-0-k');
  const error = page.getByTestId('panel-0').getByTestId('param-error');
  for (const bad of ['0', '2.5', '-1', 'abc', '1e9', 'NaN']) {
    await k.fill(bad);
    await expect(error).toContainText('k must be an integer in [1, 16]');
    await expect(k).toHaveAttribute('aria-invalid', 'true');
  }
  await k.fill('3');
  await expect(error).toHaveCount(0);
  await page.locator('#panel-0-alpha').fill('1.5');
  await expect(error).toContainText('alpha must be a number in [0, 1], got 1.5');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('validation-message')).toContainText('alpha must be a number in [0, 1]');
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'idle');
  await page.locator('#panel-0-alpha').fill('');
  await expect(error).toHaveCount(0);
});
