// Offline use: after one visit the service worker has precached the app shell, the ORT wasm and
// the built-in models, so a reload with no network works and generates; a model folder downloaded
// once (in the model cache) also runs offline, and one that was never downloaded is refused up
// front as unavailable. A new build's service worker replaces the old one and its cache.
import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { referenceGreedy } from '../scripts/testmodels/reference';
import { greedy, mustRun, OUT_DIR, openAt, tryRun } from './support/model-pages';
import { startStaticServer, type StaticServer } from './support/static-server';

// Playwright blocks service workers everywhere else (playwright.config.ts).
test.use({ serviceWorkers: 'allow' });

const PORT = Number(process.env.E2E_OFFLINE_PORT ?? 4318);

/** Names of the app-shell caches (one per build). */
function shellCaches(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('logitscope-shell-')).sort());
}

/** Wait until an activated service worker controls the page and only `version`'s shell cache exists. */
async function waitForServiceWorker(page: Page, version: string): Promise<void> {
  const state = () =>
    page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return `${reg?.active?.state ?? 'none'}/${reg?.installing ? 'installing' : ''}${reg?.waiting ? 'waiting' : ''}/${navigator.serviceWorker.controller ? 'controlled' : 'free'}`;
    });
  await expect.poll(state, { timeout: 120_000 }).toBe('activated//controlled');
  await expect.poll(() => shellCaches(page), { timeout: 120_000 }).toEqual([`logitscope-shell-${version}`]);
}

/** The version baked into a build's sw.js. */
function swVersion(dir: string): string {
  const m = /const VERSION = "([0-9a-f]{16})"/.exec(readFileSync(join(dir, 'sw.js'), 'utf8'));
  if (!m) throw new Error(`no version in ${dir}/sw.js`);
  return m[1]!;
}

test.describe('offline', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await startStaticServer({ root: resolve(OUT_DIR), port: PORT });
  });
  test.afterAll(async () => {
    await server?.close();
  });

  test('after one visit the app reloads and generates with no network; cached models run, others are refused up front', async ({ page, context }) => {
    test.setTimeout(600_000);
    await openAt(page, server.origin);
    await waitForServiceWorker(page, swVersion(resolve(OUT_DIR)));
    // Download one model folder into the model cache while online.
    await mustRun(page, greedy('/fixtures/plain/tiny-llama/', 4));

    await context.setOffline(true);
    await page.reload();
    await openAt(page, server.origin);
    await expect(page.getByTestId('offline-note')).toBeVisible();
    // Hub models that are not on this device are shown as unavailable (disabled), not tried.
    const smol = page.getByTestId('model-select').locator('option', { hasText: 'SmolLM2 135M Instruct' });
    await expect(smol).toContainText('unavailable offline');
    await expect(smol).toBeDisabled();

    const rec = await mustRun(page, greedy('builtin:tiny-llama', 12));
    expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', rec.promptTokens, 12).ids);
    const cached = await mustRun(page, greedy('/fixtures/plain/tiny-llama/', 6));
    expect(cached.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', cached.promptTokens, 6).ids);
    const never = await tryRun(page, greedy('/fixtures/slow/tiny-llama/', 4));
    expect(never).toContain('[model-not-found]');
    expect(never).toContain('offline');
    expect(never).toContain('not on this device');
    await expect(page.getByTestId('error-banner')).toContainText('not on this device');
  });
});

test('a new build replaces the old service worker and deletes its cache', async ({ page, context }) => {
  test.setTimeout(600_000);
  const first = resolve(OUT_DIR);
  // The "next build": the same files with another index.html and another version in sw.js.
  const next = mkdtempSync(join(tmpdir(), 'logitscope-next-build-'));
  cpSync(first, next, { recursive: true });
  const oldVersion = swVersion(first);
  const newVersion = oldVersion.split('').reverse().join('') === oldVersion ? 'f'.repeat(16) : oldVersion.split('').reverse().join('');
  writeFileSync(join(next, 'sw.js'), readFileSync(join(next, 'sw.js'), 'utf8').replace(`"${oldVersion}"`, `"${newVersion}"`));
  writeFileSync(join(next, 'index.html'), readFileSync(join(next, 'index.html'), 'utf8').replace('<title>', '<meta name="build-marker" content="next" /><title>'));
  let server = await startStaticServer({ root: first, port: PORT + 1 });
  try {
    await openAt(page, server.origin);
    await waitForServiceWorker(page, oldVersion);
    await server.close();
    server = await startStaticServer({ root: next, port: PORT + 1 });
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    await waitForServiceWorker(page, newVersion);
    // Offline, the reload is served from the new build's cache.
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('meta[name=build-marker]')).toHaveAttribute('content', 'next');
    await openAt(page, server.origin);
    const rec = await mustRun(page, greedy('builtin:tiny-llama', 4));
    expect(rec.panels[0]!.tokens).toHaveLength(4);
  } finally {
    await context.setOffline(false);
    await server.close();
    rmSync(next, { recursive: true, force: true });
  }
});
