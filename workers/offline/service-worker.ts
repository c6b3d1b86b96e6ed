/**
 * The offline service worker (built to `/sw.js` by scripts/vite-offline-plugin.ts, which replaces
 * `__PRECACHE__` with every file of the build and `__BUILD_VERSION__` with a hash of their bytes).
 * It precaches the app shell, the ORT wasm, the built-in models and every other static file, then
 * serves those paths cache-first, so a reload works with no network. Anything else (model folders,
 * the Hub) goes to the network untouched: downloaded models live in the `transformers-cache`
 * bucket, which this worker never touches.
 *
 * Updates never pull files from under an open page:
 * - a new build's worker installs and then waits; the page offers "reload" and, when the user
 *   accepts, posts `skip-waiting` (app/sw-register.ts);
 * - a build's cache is deleted only when no open page was loaded from it: each navigation records
 *   which build served that page (client id → version, kept in a small cache of its own, since a
 *   service worker's memory does not survive it being stopped), and a page still on an older build
 *   gets that build's hashed files (`/assets/…`) from the older cache.
 */

declare const __PRECACHE__: string[];
declare const __BUILD_VERSION__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const PREFIX = 'logitscope-shell-';
const VERSION = __BUILD_VERSION__;
const CACHE = `${PREFIX}${VERSION}`;
const PRECACHE = new Set(__PRECACHE__);
/** Cache holding one JSON entry: which build each open page was loaded from. */
const PAGES_CACHE = 'logitscope-pages';
const PAGES_KEY = '/__logitscope-pages.json';

/** The precache key of a same-origin path (`/` and `/?query` are `/index.html`). */
function keyOf(url: URL): string {
  return url.pathname === '/' ? '/index.html' : url.pathname;
}

type Pages = Record<string, string>;

async function readPages(): Promise<Pages> {
  const res = await (await caches.open(PAGES_CACHE)).match(PAGES_KEY);
  if (!res) return {};
  try {
    const v = (await res.json()) as unknown;
    return v && typeof v === 'object' ? (v as Pages) : {};
  } catch {
    return {};
  }
}

async function writePages(pages: Pages): Promise<void> {
  await (await caches.open(PAGES_CACHE)).put(PAGES_KEY, new Response(JSON.stringify(pages), { headers: { 'content-type': 'application/json' } }));
}

/**
 * Forget closed pages and delete every shell cache that no open page was loaded from (this build's
 * is always kept). With `adoptUnknown`, open pages with no record are taken to be this build's:
 * true on the first install, when they were loaded from the network before any worker ran.
 */
function cleanUp(adoptUnknown: boolean, extra: Pages = {}): Promise<void> {
  // One at a time: two navigations at once would each rewrite the record from a stale read.
  cleaning = cleaning.then(() => cleanUpNow(adoptUnknown, extra)).catch((e: unknown) => console.warn('cache clean-up failed', e));
  return cleaning;
}
let cleaning: Promise<void> = Promise.resolve();

async function cleanUpNow(adoptUnknown: boolean, extra: Pages): Promise<void> {
  const open = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const known = { ...(await readPages()), ...extra };
  const pages: Pages = {};
  for (const c of open) {
    const v = known[c.id] ?? (adoptUnknown ? VERSION : undefined);
    if (v) pages[c.id] = v;
  }
  for (const [id, v] of Object.entries(extra)) pages[id] = v;
  await writePages(pages);
  const inUse = new Set([VERSION, ...Object.values(pages)]);
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && !inUse.has(name.slice(PREFIX.length))) await caches.delete(name);
  }
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload` skips the HTTP cache, so a new build never precaches an old file.
      await cache.addAll([...PRECACHE].map((p) => new Request(p, { cache: 'reload' })));
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const first = !(await caches.keys()).some((n) => n.startsWith(PREFIX) && n !== CACHE);
      await sw.clients.claim();
      await cleanUp(first);
    })(),
  );
});

/** A hashed file of an older build that a page loaded from that build still asks for. */
async function fromOlderBuild(key: string): Promise<Response | undefined> {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const hit = await (await caches.open(name)).match(key);
    if (hit) return hit;
  }
  return undefined;
}

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  const key = keyOf(url);
  if (req.mode === 'navigate' && PRECACHE.has(key)) {
    // The page this navigation makes runs this build: record it, and drop caches nobody uses now.
    const page = event.resultingClientId;
    if (page) event.waitUntil(cleanUp(false, { [page]: VERSION }));
  }
  if (PRECACHE.has(key)) {
    event.respondWith(
      (async () => {
        const cached = await (await caches.open(CACHE)).match(key);
        return cached ?? fetch(req);
      })(),
    );
    return;
  }
  if (!url.pathname.startsWith('/assets/')) return;
  event.respondWith(
    (async () => {
      try {
        const res = await fetch(req);
        if (res.ok) return res;
        return (await fromOlderBuild(key)) ?? res;
      } catch (e) {
        const old = await fromOlderBuild(key);
        if (old) return old;
        throw e;
      }
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if (event.data === 'version') event.ports[0]?.postMessage(VERSION);
  // The user accepted "New version — reload" on a page: take over now (that page then reloads).
  if (event.data === 'skip-waiting') event.waitUntil(sw.skipWaiting());
  // A page finished loading: the page it replaced (a reload) is gone now, so its build may be too.
  if (event.data === 'clean-up') event.waitUntil(cleanUp(false));
});
