/**
 * The offline service worker (built to `/sw.js` by scripts/vite-offline-plugin.ts, which replaces
 * `__PRECACHE__` with every file of the build and `__BUILD_VERSION__` with a hash of their bytes).
 * It precaches the app shell, the ORT wasm, the built-in models and every other static file, then
 * serves those paths cache-first, so a reload works with no network. Anything else (model folders,
 * the Hub) goes to the network untouched: downloaded models live in the `transformers-cache`
 * bucket, which this worker never touches. A new build has a new version: it installs, takes over
 * at once and deletes the previous build's cache.
 */

declare const __PRECACHE__: string[];
declare const __BUILD_VERSION__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const PREFIX = 'logitscope-shell-';
const VERSION = __BUILD_VERSION__;
const CACHE = `${PREFIX}${VERSION}`;
const PRECACHE = new Set(__PRECACHE__);

/** The precache key of a same-origin path (`/` and `/?query` are `/index.html`). */
function keyOf(url: URL): string {
  return url.pathname === '/' ? '/index.html' : url.pathname;
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload` skips the HTTP cache, so a new build never precaches an old file.
      await cache.addAll([...PRECACHE].map((p) => new Request(p, { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  const key = keyOf(url);
  if (!PRECACHE.has(key)) return;
  event.respondWith(
    (async () => {
      const cached = await (await caches.open(CACHE)).match(key);
      return cached ?? fetch(req);
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if (event.data === 'version') event.ports[0]?.postMessage(VERSION);
});
