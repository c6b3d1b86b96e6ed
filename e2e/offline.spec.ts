// Offline use: after one visit the service worker has precached the app shell, the ORT wasm and
// the built-in models, so a reload with no network works and generates; a model folder downloaded
// once (in the model cache) also runs offline, and one that was never downloaded is refused up
// front as unavailable. A new deploy never pulls files from under an open page: its service worker
// waits, the page offers "reload", and an older build's cache stays while a page still runs it.
import { expect, test, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { referenceGreedy } from '../scripts/testmodels/reference';
import { greedy, mustRun, OUT_DIR, openAt, tryRun } from './support/model-pages';
import { nextBuild, swVersion, type NextBuild } from './support/next-build';
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

/** The registration as `active/installing|waiting/controlled|free`. */
function swState(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return `${reg?.active?.state ?? 'none'}/${reg?.installing ? 'installing' : ''}${reg?.waiting ? 'waiting' : ''}/${navigator.serviceWorker.controller ? 'controlled' : 'free'}`;
  });
}

test.describe('updates under an open page', () => {
  const port = PORT + 1;
  let server: StaticServer | null = null;
  const serve = async (root: string) => {
    await server?.close();
    server = await startStaticServer({ root, port });
    return server.origin;
  };
  test.afterEach(async () => {
    await server?.close();
    server = null;
  });
  /** Serves the first build, opens `page` on it under its service worker, then runs `body` with the next deploy at hand. */
  const underDeploy = async (page: Page, body: (d: { origin: string; oldVersion: string; next: NextBuild }) => Promise<void>) => {
    const first = resolve(OUT_DIR);
    const oldVersion = swVersion(first);
    const next = nextBuild(first);
    try {
      const origin = await serve(first);
      await openAt(page, origin);
      await waitForServiceWorker(page, oldVersion);
      await body({ origin, oldVersion, next });
    } finally {
      rmSync(next.dir, { recursive: true, force: true });
    }
  };

  test('a new deploy waits while the page is open; the page offers Reload and keeps working; Reload moves it to the new build', async ({ page }) => {
    test.setTimeout(600_000);
    await underDeploy(page, async ({ origin, oldVersion, next }) => {
      await expect(page.getByTestId('update-banner')).toHaveCount(0);

      await serve(next.dir);
      await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
      // Installed and waiting: the old worker still serves this page, both builds' caches exist.
      await expect.poll(() => swState(page), { timeout: 120_000 }).toBe('activated/waiting/controlled');
      await expect(page.getByTestId('update-banner')).toBeVisible();
      await expect(page.getByTestId('update-banner')).toContainText('New version');
      expect(await shellCaches(page)).toEqual([`logitscope-shell-${next.version}`, `logitscope-shell-${oldVersion}`].sort());
      // The open page still runs: its ORT wasm comes from its own build's cache, not the new server.
      const rec = await mustRun(page, greedy('builtin:tiny-llama', 4));
      expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', rec.promptTokens, 4).ids);
      await expect(page.locator('meta[name=build-marker]')).toHaveCount(0);

      await page.getByTestId('update-reload').click();
      await expect(page.locator('meta[name=build-marker]')).toHaveAttribute('content', 'next', { timeout: 60_000 });
      await waitForServiceWorker(page, next.version);
      await expect(page.getByTestId('update-banner')).toHaveCount(0);
      await openAt(page, origin);
      const after = await mustRun(page, greedy('builtin:tiny-llama', 4));
      expect(after.panels[0]!.tokens.map((t) => t.id)).toEqual(rec.panels[0]!.tokens.map((t) => t.id));
    });
  });

  test('a page still on the old build keeps working after another page took the update; its cache goes once it closes', async ({ page, context }) => {
    test.setTimeout(600_000);
    await underDeploy(page, async ({ origin, oldVersion, next }) => {
      const old = await context.newPage();
      await openAt(old, origin);
      await expect.poll(() => swState(old), { timeout: 60_000 }).toBe('activated//controlled');

      await serve(next.dir);
      await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
      await expect(page.getByTestId('update-banner')).toBeVisible({ timeout: 120_000 });
      await expect(old.getByTestId('update-banner')).toBeVisible({ timeout: 60_000 });
      await page.getByTestId('update-reload').click();
      await expect(page.locator('meta[name=build-marker]')).toHaveAttribute('content', 'next', { timeout: 60_000 });
      await openAt(page, origin);

      // `old` runs the first build under the new worker: its first run loads the ORT wasm by the
      // first build's name, which the server no longer has; the kept cache answers.
      expect(await old.locator('meta[name=build-marker]').count()).toBe(0);
      await expect.poll(() => shellCaches(page), { timeout: 60_000 }).toEqual([`logitscope-shell-${next.version}`, `logitscope-shell-${oldVersion}`].sort());
      const rec = await mustRun(old, greedy('builtin:tiny-llama', 4));
      expect(rec.panels[0]!.tokens.map((t) => t.id)).toEqual(referenceGreedy('tiny-llama', rec.promptTokens, 4).ids);

      await old.close();
      await page.reload();
      await openAt(page, origin);
      await expect.poll(() => shellCaches(page), { timeout: 60_000 }).toEqual([`logitscope-shell-${next.version}`]);
    });
  });
});

test.describe('a deploy under a page with no service worker', () => {
  test.use({ serviceWorkers: 'block' });
  const port = PORT + 2;

  test('the missing runtime files are reported as "the app was updated, reload", never as a broken model', async ({ page }) => {
    test.setTimeout(600_000);
    const first = resolve(OUT_DIR);
    const next = nextBuild(first);
    let server = await startStaticServer({ root: first, port });
    try {
      // Page loaded (worker started, ORT wasm not yet fetched: no run), then the deploy.
      await openAt(page, server.origin);
      await server.close();
      server = await startStaticServer({ root: next.dir, port });
      const err = await tryRun(page, greedy('builtin:tiny-llama', 4, { backend: 'wasm' }));
      expect(err).toMatch(/^\[app-updated\] The app was updated/);
      expect(err).toContain('reload the page');
      await expect(page.getByTestId('error-banner')).toContainText('The app was updated');
      await expect(page.getByTestId('error-banner')).not.toContainText('ONNX');

      // A worker that has to start again (here: restarted after a Stop it could not hear) finds
      // its script gone too: same message, not "[internal]".
      await page.getByTestId('error-banner').getByRole('button', { name: 'Dismiss' }).click();
      await page.evaluate(() => window.logitscope.debug!.restartWorker());
      const again = await tryRun(page, greedy('builtin:tiny-llama', 4, { backend: 'wasm' }));
      expect(again).toMatch(/^\[app-updated\] The app was updated/);

      // "Reload page" loads the new build, which runs.
      await page.getByTestId('reload-page').click();
      await expect(page.locator('meta[name=build-marker]')).toHaveAttribute('content', 'next', { timeout: 60_000 });
      await openAt(page, server.origin);
      const rec = await mustRun(page, greedy('builtin:tiny-llama', 4, { backend: 'wasm' }));
      expect(rec.panels[0]!.tokens).toHaveLength(4);
    } finally {
      await server.close();
      rmSync(next.dir, { recursive: true, force: true });
    }
  });
});
