// The offline service worker's update rules, run as compiled (sw.js) in a VM with fake Cache
// Storage, clients and network: it waits instead of taking over, keeps a build's cache while a page
// loaded from it is open, and serves such a page its build's hashed files from that cache.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { compileServiceWorker } from '../../scripts/vite-offline-plugin';

type Handler = (event: Record<string, unknown>) => void;

class FakeCache {
  readonly entries = new Map<string, Response>();
  match(key: string | Request) {
    const r = this.entries.get(typeof key === 'string' ? key : new URL(key.url).pathname);
    return Promise.resolve(r?.clone());
  }
  put(key: string, res: Response) {
    this.entries.set(key, res);
    return Promise.resolve();
  }
  addAll(reqs: Request[]) {
    for (const r of reqs) this.entries.set(new URL(r.url).pathname, new Response(`new ${new URL(r.url).pathname}`));
    return Promise.resolve();
  }
}

async function load(version: string, precache: string[], env: { clients: { id: string }[]; caches: Map<string, FakeCache>; network: (path: string) => Response }) {
  const code = await compileServiceWorker(readFileSync('workers/offline/service-worker.ts', 'utf8'), precache, version);
  const handlers = new Map<string, Handler>();
  const calls = { skipWaiting: 0, claim: 0 };
  const caches = {
    open: (n: string) => {
      if (!env.caches.has(n)) env.caches.set(n, new FakeCache());
      return Promise.resolve(env.caches.get(n)!);
    },
    keys: () => Promise.resolve([...env.caches.keys()]),
    delete: (n: string) => Promise.resolve(env.caches.delete(n)),
  };
  const self = {
    location: { origin: 'https://app.test' },
    addEventListener: (type: string, h: Handler) => handlers.set(type, h),
    skipWaiting: () => ((calls.skipWaiting += 1), Promise.resolve()),
    clients: { claim: () => ((calls.claim += 1), Promise.resolve()), matchAll: () => Promise.resolve(env.clients) },
  };
  const fetchFake = (req: Request) => Promise.resolve(env.network(new URL(req.url).pathname));
  // The worker builds requests from paths, as a browser resolves them against its origin.
  const RequestHere = class extends Request {
    constructor(input: string, init?: RequestInit) {
      super(new URL(input, 'https://app.test'), init);
    }
  };
  runInContext(code, createContext({ self, caches, fetch: fetchFake, URL, Request: RequestHere, Response, JSON, Promise, Set, Object, console }));
  /** Dispatches an event and waits for everything it handed to waitUntil/respondWith. */
  const dispatch = async (type: string, extra: Record<string, unknown> = {}) => {
    const waits: Promise<unknown>[] = [];
    let response: Promise<Response> | undefined;
    handlers.get(type)!({ ...extra, waitUntil: (p: Promise<unknown>) => waits.push(p), respondWith: (p: Promise<Response>) => (response = p) });
    await Promise.all(waits);
    return response ? await response : undefined;
  };
  const get = (path: string) => dispatch('fetch', { request: new Request(`https://app.test${path}`) });
  /** A navigation (Request cannot be built with mode 'navigate' outside a browser). */
  const navigate = (path: string, resultingClientId: string) => dispatch('fetch', { request: { method: 'GET', url: `https://app.test${path}`, mode: 'navigate' }, resultingClientId });
  return { dispatch, calls, get, navigate };
}

const OLD = 'a'.repeat(16);
const NEW = 'b'.repeat(16);
const notFound = () => new Response('not found', { status: 404 });

function oldBuildCache(): FakeCache {
  const c = new FakeCache();
  c.entries.set('/assets/worker-old.js', new Response('old worker'));
  c.entries.set('/index.html', new Response('old index'));
  return c;
}

describe('offline service worker: updates under open pages', () => {
  it('installs and waits (no skipWaiting) until a page posts skip-waiting', async () => {
    const env = { clients: [], caches: new Map<string, FakeCache>(), network: notFound };
    const sw = await load(NEW, ['/index.html'], env);
    await sw.dispatch('install');
    expect(sw.calls.skipWaiting).toBe(0);
    expect(await env.caches.get(`logitscope-shell-${NEW}`)!.match('/index.html')).toBeDefined();
    await sw.dispatch('message', { data: 'skip-waiting' });
    expect(sw.calls.skipWaiting).toBe(1);
  });

  it("keeps an older build's cache while a page loaded from it is open, serves it that build's files, and drops it once the page closes", async () => {
    const caches = new Map<string, FakeCache>([[`logitscope-shell-${OLD}`, oldBuildCache()]]);
    const pages = new FakeCache();
    pages.entries.set('/__logitscope-pages.json', new Response(JSON.stringify({ 'page-1': OLD, 'gone-page': OLD })));
    caches.set('logitscope-pages', pages);
    const env = { clients: [{ id: 'page-1' }], caches, network: notFound };
    const sw = await load(NEW, ['/index.html', '/assets/worker-new.js'], env);
    await sw.dispatch('install');
    await sw.dispatch('activate');
    expect(sw.calls.claim).toBe(1);
    expect([...caches.keys()].filter((k) => k.startsWith('logitscope-shell-')).sort()).toEqual([`logitscope-shell-${OLD}`, `logitscope-shell-${NEW}`]);
    expect(JSON.parse(await (await pages.match('/__logitscope-pages.json'))!.text())).toEqual({ 'page-1': OLD });

    // page-1 (old build) asks for its worker script, which the server no longer has.
    const res = await sw.get('/assets/worker-old.js');
    expect(await res!.text()).toBe('old worker');
    // This build's files come from this build's cache; unknown paths are left to the network.
    expect(await (await sw.get('/assets/worker-new.js'))!.text()).toBe('new /assets/worker-new.js');
    expect(await sw.get('/models/elsewhere/config.json')).toBeUndefined();

    // A new page loads (this build): page-1 is still open, so the old build stays.
    const page3 = await sw.navigate('/?model=builtin:stories260k', 'page-3');
    expect(await page3!.text()).toBe('new /index.html');
    env.clients = [{ id: 'page-1' }, { id: 'page-3' }];
    await sw.dispatch('message', { data: 'clean-up' });
    expect(caches.has(`logitscope-shell-${OLD}`)).toBe(true);
    expect(JSON.parse(await (await pages.match('/__logitscope-pages.json'))!.text())).toEqual({ 'page-1': OLD, 'page-3': NEW });
    // page-1 closes; the next clean-up (a page finishing its load) drops the old build.
    env.clients = [{ id: 'page-3' }];
    await sw.dispatch('message', { data: 'clean-up' });
    expect(caches.has(`logitscope-shell-${OLD}`)).toBe(false);
    expect(caches.has(`logitscope-shell-${NEW}`)).toBe(true);
  });

  it('on the first install, pages already open (loaded before any worker) count as this build', async () => {
    const caches = new Map<string, FakeCache>();
    const env = { clients: [{ id: 'p' }], caches, network: notFound };
    const sw = await load(NEW, ['/index.html'], env);
    await sw.dispatch('install');
    await sw.dispatch('activate');
    expect(JSON.parse(await (await caches.get('logitscope-pages')!.match('/__logitscope-pages.json'))!.text())).toEqual({ p: NEW });
  });
});
