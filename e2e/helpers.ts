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
 * `query` with `backend=webgpu` added unless it names a backend. The page's default is `auto`,
 * which picks WASM on this machine's software adapter (e2e/backend.spec.ts covers that); the specs
 * that open pages through these helpers check the WebGPU kernels against references, so they ask
 * for WebGPU explicitly, and name `backend=wasm` (or pass `backend` to a run) where they mean WASM.
 */
export function withTestBackend(query: string): string {
  if (/[?&]backend=/.test(query)) return query;
  return `${query}${query ? '&' : '?'}backend=webgpu`;
}

/**
 * Open the app and wait for the catalog (built-in models) to be ready. Tests compare against the
 * random-weight test model's reference, so a query without `model=` gets `model=builtin:tiny-llama`
 * (no draft); the default model (stories260K) has tests of its own that open `/` directly. Without
 * a `backend=` in `query` the page runs WebGPU (`withTestBackend`).
 */
export async function openApp(page: Page, query = ''): Promise<void> {
  const q = withTestBackend(/[?&]model=/.test(query) ? query : `${query ? `${query}&` : '?'}model=builtin:tiny-llama`);
  await page.goto(`/${q}`);
  await expect(page.getByTestId('model-select')).toBeVisible();
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 30_000 });
}

/**
 * Open the page as a first visit would (no query: the default stories260K model, backend auto) and
 * wait until Generate is enabled.
 */
export async function openDefault(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
}

/** The token ids panel `panel` of a record wrote. */
export function panelIds(r: RunRecord, panel: number): number[] {
  return r.panels[panel]!.tokens.map((t) => t.id);
}

/** Run through the scripting API (the same path as the Generate button) and return the record. */
export async function apiRun(page: Page, options: Partial<RunRequest>): Promise<RunRecord> {
  return page.evaluate(async (o) => {
    const api: LogitscopeApi = window.logitscope;
    return api.run(o);
  }, options);
}

/**
 * `apiRun` of `panels` on the trained stories260K alone (no draft) from "Once upon a time", seed 1,
 * on `backend`; `extra` overrides any field.
 */
export function storiesRun(page: Page, backend: 'wasm' | 'webgpu', maxNewTokens: number, panels: RunRequest['panels'], extra: Partial<RunRequest> = {}): Promise<RunRecord> {
  return apiRun(page, { prompt: 'Once upon a time', maxNewTokens, seed: 1, backend, model: 'builtin:stories260k', draft: null, panels, ...extra });
}
