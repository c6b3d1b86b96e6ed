// Page helpers shared by the model, offline and robustness specs (they open the app on their own
// static server, so the fixtures are same-origin model folders).
import { expect, type Page } from '@playwright/test';
import type { CachedModel, GpuStats, RunRecord, RunRequest } from '../../protocol';
import type { LogitscopeApi } from '../../app/logitscope-api';
import { withTestBackend } from '../helpers';

/** The build folder the specs serve (the same one Playwright's preview server serves). */
export const OUT_DIR = process.env.E2E_OUTDIR ?? 'dist';

/**
 * Open the app at `origin` and wait until Generate is enabled (catalog loaded). As `openApp`, a
 * query without `model=` opens on the random-weight test model (no draft), which these specs compare
 * against its reference; a query without `backend=` runs WebGPU (`withTestBackend`).
 */
export async function openAt(page: Page, origin: string, query = ''): Promise<void> {
  const q = withTestBackend(/[?&]model=/.test(query) ? query : `${query ? `${query}&` : '?'}model=builtin:tiny-llama`);
  await page.goto(`${origin}/${q}`);
  await expect(page.getByTestId('model-select')).toBeVisible();
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 30_000 });
}

/** `window.logitscope.run(options)`; resolves to the record or to the error text (never throws). */
export async function tryRun(page: Page, options: Partial<RunRequest>): Promise<RunRecord | string> {
  return page.evaluate(async (o) => {
    const api: LogitscopeApi = window.logitscope;
    try {
      return await api.run(o);
    } catch (e) {
      return String(e instanceof Error ? e.message : e);
    }
  }, options);
}

/** Like `tryRun`, failing the test when the run fails. */
export async function mustRun(page: Page, options: Partial<RunRequest>): Promise<RunRecord> {
  const r = await tryRun(page, options);
  if (typeof r === 'string') throw new Error(`run failed: ${r}`);
  return r;
}

/** Start a run without waiting for it; its outcome lands in `window.__pendingRun`. */
export async function startRun(page: Page, options: Partial<RunRequest>): Promise<void> {
  await page.evaluate((o) => {
    const w = window as Window & { __pendingRun?: Promise<string> };
    w.__pendingRun = w.logitscope.run(o).then(
      () => 'ok',
      (e: unknown) => String(e instanceof Error ? e.message : e),
    );
  }, options);
}

/** The outcome of the run started with `startRun`: `ok` or the error text. */
export async function pendingRun(page: Page): Promise<string> {
  return page.evaluate(() => (window as Window & { __pendingRun?: Promise<string> }).__pendingRun ?? 'no run was started');
}

/** `window.logitscope.gpuStats()`. */
export function gpuStats(page: Page): Promise<GpuStats> {
  return page.evaluate(() => window.logitscope.gpuStats());
}

/** `window.logitscope.cachedModels()`. */
export function cachedModels(page: Page): Promise<CachedModel[]> {
  return page.evaluate(() => window.logitscope.cachedModels());
}

/** A greedy run request on `model` (prompt fixed), merged with `extra`. */
export function greedy(model: string, maxNewTokens: number, extra: Partial<RunRequest> = {}): Partial<RunRequest> {
  return { prompt: 'Once upon a time', model, draft: null, maxNewTokens, seed: 0, panels: [{ strategy: 'greedy', params: {} }], chatTemplate: false, ...extra };
}
