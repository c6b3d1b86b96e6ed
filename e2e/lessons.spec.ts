// Lessons and the prompt's token view (issue #12, items 3 and 5), in the page on the trained
// built-in pair: a lesson link opens its setup and text, the menu switches lesson, the script API
// lists them, the deterministic lessons' claims hold on a real run, and the prompt's chips are the
// tokens the run itself was given.
import { expect, test, type Page } from '@playwright/test';
import { LESSONS } from '../app/lessons';
import type { RunRecord } from '../protocol';

const lesson = (id: string) => LESSONS.find((l) => l.id === id)!;

async function openLesson(page: Page, id: string): Promise<void> {
  await page.goto(`/?lesson=${id}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('lesson-card')).toHaveAttribute('data-lesson', id);
}

async function runForm(page: Page): Promise<RunRecord> {
  return page.evaluate(() => window.logitscope.run());
}

test('a lesson link opens with its setup and its text; Share keeps the lesson until the setup changes', async ({ page }) => {
  await openLesson(page, 'speculative-lossless');
  await expect(page.getByTestId('lesson-text')).toHaveText(lesson('speculative-lossless').text);
  await expect(page.getByTestId('prompt')).toHaveValue('Once upon a time');
  await expect(page.getByTestId('strategy-select')).toHaveCount(2);
  await expect(page.getByTestId('strategy-select').nth(1)).toHaveValue('speculative');
  await expect(page.getByTestId('lesson-select')).toHaveValue('speculative-lossless');
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-url')).toHaveValue(/\?lesson=speculative-lossless&model=builtin:stories260k&draft=builtin:stories-draft&.*panels=greedy,speculative\(k=4\)/);
  // An edited setup is no longer the lesson: the link carries the settings only.
  await page.getByTestId('prompt').fill('Once upon a time there was');
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-url')).not.toHaveValue(/lesson=/);
  await expect(page.getByTestId('share-url')).toHaveValue(/prompt=Once%20upon%20a%20time%20there%20was/);
  // The card is dismissible; the setup stays.
  await page.getByTestId('lesson-close').click();
  await expect(page.getByTestId('lesson-card')).toHaveCount(0);
  await expect(page.getByTestId('strategy-select')).toHaveCount(2);
});

test('the Lessons menu switches lesson, and window.logitscope.lessons() lists them all', async ({ page }) => {
  await openLesson(page, 'greedy-vs-sampling');
  const listed = await page.evaluate(() => window.logitscope.lessons());
  expect(listed.length).toBeGreaterThanOrEqual(8);
  expect(listed).toEqual(LESSONS.map((l) => ({ id: l.id, title: l.title })));
  const options = await page.getByTestId('lesson-select').locator('option:not([disabled])').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  expect(options).toEqual(listed.map((l) => l.id));
  await page.getByTestId('lesson-select').selectOption('temperature-sweep');
  await expect(page.getByTestId('lesson-card')).toHaveAttribute('data-lesson', 'temperature-sweep');
  await expect(page.getByTestId('lesson-text')).toHaveText(lesson('temperature-sweep').text);
  await expect(page.getByTestId('strategy-select')).toHaveCount(4);
  expect(new URL(page.url()).search).toBe('?lesson=temperature-sweep');
  await page.getByTestId('lesson-select').selectOption('grad-corpus');
  await expect(page.getByTestId('lesson-card')).toHaveAttribute('data-lesson', 'grad-corpus');
  await expect(page.getByTestId('strategy-select')).toHaveCount(2);
  await expect(page.getByTestId('strategy-select').nth(1)).toHaveValue('grad');
  // Reloading the address bar's link gives the same lesson.
  await page.reload();
  await expect(page.getByTestId('lesson-card')).toHaveAttribute('data-lesson', 'grad-corpus');
  // An unknown lesson is refused by name; the page still loads.
  await page.goto('/?lesson=no-such-lesson');
  await expect(page.getByTestId('url-warnings')).toContainText('lesson: "no-such-lesson" is not a lesson');
  await expect(page.getByTestId('lesson-card')).toHaveCount(0);
});

for (const id of LESSONS.filter((l) => l.expect).map((l) => l.id)) {
  test(`lesson ${id}: what its text says to look at holds on a real run`, async ({ page }) => {
    test.setTimeout(300_000);
    await openLesson(page, id);
    const record = await runForm(page);
    const claim = lesson(id).expect!;
    const panels = record.panels;
    expect(panels).toHaveLength(lesson(id).setup.match(/panels=([^&]*)/)![1]!.split(/,(?![^(]*\))/).length);
    if (claim.contains) {
      expect(panels[claim.contains.panel]!.text).toContain(claim.contains.text);
      expect(lesson(id).text).toContain(claim.contains.text);
      await expect(page.getByTestId(`panel-${claim.contains.panel}`)).toContainText(claim.contains.text);
    }
    if (claim.sameText) {
      const [a, b] = claim.sameText;
      expect(panels[a]!.stats.newTokens).toBeGreaterThan(10);
      expect(panels[b]!.text).toBe(panels[a]!.text);
    }
    if (claim.fewerTargetPasses) {
      const { fewer, than } = claim.fewerTargetPasses;
      expect(panels[fewer]!.stats.targetForwards).toBeLessThan(panels[than]!.stats.targetForwards);
    }
  });
}

test('the prompt shows as the real tokenizer’s tokens: the ids a run is given, updated as the prompt changes', async ({ page }) => {
  test.setTimeout(300_000);
  await openLesson(page, 'greedy-vs-sampling');
  const view = page.getByTestId('prompt-tokens');
  await expect(view).toHaveAttribute('data-updating', 'false');
  const chips = view.locator('.prompt-token');
  const shown = async () => ({
    ids: (await chips.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))) as number[],
    texts: await chips.allTextContents(),
  });
  const before = await shown();
  expect(before.ids.length).toBeGreaterThan(2);
  await expect(page.getByTestId('prompt-token-count')).toHaveText(`${before.ids.length} tokens of builtin:stories260k's context of 512`);
  const record = await runForm(page);
  expect(before.ids).toEqual(record.promptTokens);
  // Text chips join back to the prompt (␣ marks a space), the BOS token aside.
  expect(before.texts.join('').replace(/␣/g, ' ')).toContain('Once upon a time');
  // The id is on the chip for hover and focus.
  await chips.nth(1).focus();
  await expect(chips.nth(1)).toHaveAttribute('aria-label', new RegExp(`id ${before.ids[1]}$`));

  await page.getByTestId('prompt').fill('Lily and Tom went to the park.');
  await expect(view).toHaveAttribute('data-updating', 'false');
  const after = await shown();
  expect(after.ids).not.toEqual(before.ids);
  const second = await runForm(page);
  expect(after.ids).toEqual(second.promptTokens);
});

test('the token view says so when the model cannot be loaded, and the prompt stays', async ({ page }) => {
  await page.goto('/?model=/models/no-such-folder&prompt=Hello');
  await expect(page.getByTestId('prompt-tokens-error')).toContainText('The tokens cannot be shown: /models/no-such-folder could not be loaded', { timeout: 60_000 });
  await expect(page.getByTestId('prompt')).toHaveValue('Hello');
});
