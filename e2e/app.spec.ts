import { expect, test } from '@playwright/test';
import { referenceGreedy } from '../scripts/testmodels/reference';
import type { RunRecord } from '../protocol';
import { apiRun, openApp, waitForState } from './helpers';

const PROMPT = 'Once upon a time';
/** Greedy on tiny-llama emits 2048 tokens without EOS from this prompt, so only Stop can end the run early. */
const LONG_PROMPT = 'Tell me a story';

test.describe('greedy decoding end to end (built-in model, real ORT, real tokenizer)', () => {
  test('WebGPU greedy 32 tokens equals the TypeScript reference, tokens and probabilities', async ({ page }) => {
    await openApp(page);
    const rec = await apiRun(page, {
      prompt: PROMPT,
      model: 'builtin:tiny-llama',
      maxNewTokens: 32,
      backend: 'webgpu',
      panels: [{ strategy: 'greedy', params: {} }],
    });
    expect(rec.model.backend).toBe('webgpu');
    const panel = rec.panels[0]!;
    const ref = referenceGreedy('tiny-llama', rec.promptTokens, 32);
    expect(panel.tokens.map((t) => t.id)).toEqual(ref.ids);
    panel.tokens.forEach((t, i) => {
      expect(Math.abs(t.prob - ref.probs[i]!)).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(t.entropy - ref.entropies[i]!)).toBeLessThanOrEqual(1e-3);
      expect(t.top.length).toBeGreaterThanOrEqual(10);
    });
    expect(panel.stats.newTokens).toBe(ref.ids.length);
    expect(panel.stats.targetForwards).toBe(ref.ids.length);
    // Only kernel summaries cross to the CPU: far less than one 258-entry f32 row per token.
    expect(panel.stats.readbackBytes / panel.stats.newTokens).toBeLessThan(1024);
    await waitForState(page, ['done']);
    // Every generated token is its own element carrying its probability.
    const tokens = page.getByTestId('panel-0').getByTestId('tokens').locator('.token');
    await expect(tokens).toHaveCount(panel.tokens.length);
    const shown = await tokens.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.prob)));
    shown.forEach((p, i) => expect(Math.abs(p - panel.tokens[i]!.prob)).toBeLessThan(1e-6));
    await expect(page.getByTestId('device-info')).toContainText(/webgpu/i);
    await expect(page.getByTestId('panel-0').getByTestId('panel-stats')).toContainText(String(panel.tokens.length));
  });

  test('the padded-vocabulary model never emits a padded row', async ({ page }) => {
    await openApp(page);
    const rec = await apiRun(page, { prompt: PROMPT, model: 'builtin:tiny-llama-padded', maxNewTokens: 16, panels: [{ strategy: 'greedy', params: {} }] });
    expect(rec.model.vocabSize).toBeGreaterThan(rec.model.tokenizerVocabSize);
    const ref = referenceGreedy('tiny-llama-padded', rec.promptTokens, 16);
    expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(ref.ids);
    for (const t of rec.panels[0]!.tokens) expect(t.id).toBeLessThan(rec.model.tokenizerVocabSize);
  });

  test('WASM backend gives the identical tokens', async ({ page }) => {
    await openApp(page);
    const gpu = await apiRun(page, {
      prompt: PROMPT,
      model: 'builtin:tiny-llama',
      maxNewTokens: 24,
      backend: 'webgpu',
      panels: [{ strategy: 'greedy', params: {} }],
    });
    const cpu = await apiRun(page, {
      prompt: PROMPT,
      model: 'builtin:tiny-llama',
      maxNewTokens: 24,
      backend: 'wasm',
      panels: [{ strategy: 'greedy', params: {} }],
    });
    expect(cpu.model.backend).toBe('wasm');
    expect(cpu.panels[0]!.tokens.map((t) => t.id)).toEqual(gpu.panels[0]!.tokens.map((t) => t.id));
    cpu.panels[0]!.tokens.forEach((t, i) => expect(Math.abs(t.prob - gpu.panels[0]!.tokens[i]!.prob)).toBeLessThan(1e-4));
    await expect(page.getByTestId('wasm-banner')).toBeVisible();
  });

  test('hover and keyboard focus open a popover with 10 alternatives and the right numbers', async ({ page }) => {
    await openApp(page);
    const rec = await apiRun(page, { prompt: PROMPT, model: 'builtin:tiny-llama', maxNewTokens: 8, panels: [{ strategy: 'greedy', params: {} }] });
    const tokens = page.getByTestId('panel-0').getByTestId('tokens').locator('.token');
    await tokens.nth(2).hover();
    const pop = page.getByTestId('token-popover');
    await expect(pop).toBeVisible();
    await expect(pop.getByTestId('popover-alt')).toHaveCount(10);
    const t = rec.panels[0]!.tokens[2]!;
    await expect(pop.getByTestId('popover-prob')).toContainText(t.prob.toFixed(3).slice(0, 4));
    await expect(pop.getByTestId('popover-entropy')).toContainText(t.entropy.toFixed(2));
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await tokens.nth(4).focus();
    await expect(page.getByTestId('token-popover')).toBeVisible();
    await expect(page.getByTestId('token-popover').getByTestId('popover-alt')).toHaveCount(10);
  });

  for (const backend of ['webgpu', 'wasm'] as const) {
    test(`Stop mid-run ends within a step and keeps the tokens shown (${backend})`, async ({ page }) => {
      await openApp(page);
      await page.getByTestId('backend-select').selectOption(backend);
      // Greedy from this prompt reaches no EOS within 2048 tokens (checked with referenceGreedy below).
      await page.getByTestId('prompt').fill(LONG_PROMPT);
      await page.getByTestId('max-tokens').fill('2048');
      await page.getByTestId('generate').click();
      const tokens = page.getByTestId('panel-0').getByTestId('tokens').locator('.token');
      await expect(tokens.nth(5)).toBeVisible({ timeout: 120_000 });
      await page.getByTestId('stop').click();
      await waitForState(page, ['done']);
      const rec = await page.evaluate(() =>
        (window as unknown as { logitscope: { exportRun(): RunRecord | null } }).logitscope.exportRun(),
      );
      expect(rec).not.toBeNull();
      const panel = rec!.panels[0]!;
      expect(panel.stats.finishReason).toBe('stopped');
      expect(panel.tokens.length).toBeLessThan(2048);
      expect(referenceGreedy('tiny-llama', rec!.promptTokens, panel.tokens.length + 1).ids).toHaveLength(panel.tokens.length + 1);
      expect(rec!.model.backend).toBe(backend);
      await expect(tokens).toHaveCount(panel.tokens.length);
    });
  }
});

test.describe('bad input gets a clear message and nothing on screen is lost', () => {
  test('empty prompt and out-of-range max tokens never start a run', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('prompt').fill('   ');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('validation-message')).toContainText(/prompt/i);
    await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'idle');
    await page.getByTestId('prompt').fill(PROMPT);
    await page.getByTestId('max-tokens').fill('999999');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('validation-message')).toContainText(/max/i);
    await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'idle');
  });

  test('a model folder URL that 404s names the URL, keeps the previous tokens, and the app stays usable', async ({ page }) => {
    await openApp(page);
    const first = await apiRun(page, { prompt: PROMPT, model: 'builtin:tiny-llama', maxNewTokens: 6, panels: [{ strategy: 'greedy', params: {} }] });
    const err = await page.evaluate(async () => {
      try {
        await (window as unknown as { logitscope: { run(o: unknown): Promise<unknown> } }).logitscope.run({ model: '/no-such-model/' });
        return null;
      } catch (e) {
        return String(e);
      }
    });
    expect(err).toContain('/no-such-model/config.json');
    await waitForState(page, ['error']);
    await expect(page.getByTestId('error-banner')).toContainText('/no-such-model/config.json');
    await expect(page.getByTestId('error-banner')).toContainText('404');
    await expect(page.getByTestId('panel-0').getByTestId('tokens').locator('.token')).toHaveCount(first.panels[0]!.tokens.length);
    const again = await apiRun(page, { prompt: PROMPT, model: 'builtin:tiny-llama', maxNewTokens: 6, panels: [{ strategy: 'greedy', params: {} }] });
    expect(again.panels[0]!.tokens.map((t) => t.id)).toEqual(first.panels[0]!.tokens.map((t) => t.id));
  });

  test('HTML in prompts and model text renders inert', async ({ page }) => {
    await openApp(page);
    await page.evaluate(() => ((window as unknown as { __xss: number }).__xss = 0));
    const hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const rec = await apiRun(page, { prompt: hostile, model: 'builtin:tiny-llama', maxNewTokens: 8, panels: [{ strategy: 'greedy', params: {} }] });
    expect(rec.promptTokens.length).toBeGreaterThan(hostile.length);
    expect(await page.evaluate(() => (window as unknown as { __xss: number }).__xss)).toBe(0);
    expect(await page.locator('[data-testid=app] img, [data-testid=panel-0] script').count()).toBe(0);
    const texts = await page.getByTestId('panel-0').getByTestId('tokens').locator('.token').allTextContents();
    expect(texts.join('')).toBe(rec.panels[0]!.tokens.map((t) => t.text).join(''));
  });
});
