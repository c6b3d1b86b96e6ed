import { expect, type Page } from '@playwright/test';
import type { RunRecord, RunRequest } from '../protocol';
import type { LogitscopeApi } from '../app/logitscope-api';

/** Wait until the app root reports `state` in data-run-state. */
export async function waitForState(page: Page, states: string[], timeout = 150_000): Promise<string> {
  const root = page.getByTestId('app');
  await expect(root).toHaveAttribute('data-run-state', new RegExp(`^(${states.join('|')})$`), { timeout });
  return (await root.getAttribute('data-run-state')) ?? '';
}

/**
 * Open the app and wait for the catalog (built-in models) to be ready. Tests compare against the
 * random-weight test model's reference, so a query without `model=` gets `model=builtin:tiny-llama`
 * (no draft); the default model (stories260K) has tests of its own that open `/` directly.
 */
export async function openApp(page: Page, query = ''): Promise<void> {
  const q = /[?&]model=/.test(query) ? query : `${query ? `${query}&` : '?'}model=builtin:tiny-llama`;
  await page.goto(`/${q}`);
  await expect(page.getByTestId('model-select')).toBeVisible();
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 30_000 });
}

/** Run through the scripting API (the same path as the Generate button) and return the record. */
export async function apiRun(page: Page, options: Partial<RunRequest>): Promise<RunRecord> {
  return page.evaluate(async (o) => {
    const api: LogitscopeApi = window.logitscope;
    return api.run(o);
  }, options);
}
