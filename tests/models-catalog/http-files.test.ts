import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_NAME } from '../../workers/model/fetch-file';
import { HttpFiles } from '../../workers/model/files';
import { installFakeCaches, removeFakeCaches, type FakeCache } from './fake-cache';

const BASE = 'https://models.example/m/';

/** A response whose body arrives in `chunks`, each after the previous one is read. */
function streamed(chunks: Uint8Array[], length = chunks.reduce((s, c) => s + c.length, 0)): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (i < chunks.length) ctrl.enqueue(chunks[i++]!);
      else ctrl.close();
    },
  });
  return new Response(body, { headers: { 'content-length': String(length) } });
}

let buckets: Map<string, FakeCache>;
beforeEach(() => {
  buckets = installFakeCaches();
});
afterEach(() => {
  removeFakeCaches();
  vi.unstubAllGlobals();
});

describe('HttpFiles (URL folders through the model cache)', () => {
  it('downloads with progress, caches the complete file once the model validated (commit), and serves the next read from the cache', async () => {
    const fetchMock = vi.fn(async () => streamed([new Uint8Array(3), new Uint8Array(2)]));
    vi.stubGlobal('fetch', fetchMock);
    const files = new HttpFiles(BASE, true);
    const seen: [number, number, boolean][] = [];
    const bytes = await files.read('onnx/model.onnx', (l, t, c) => seen.push([l, t, c]), new AbortController().signal);
    expect(bytes.length).toBe(5);
    expect(seen.map((s) => s[0])).toContain(3);
    expect(seen.at(-1)).toEqual([5, 5, false]);
    // Not yet: a folder enters the model cache only when its model has loaded and checked out.
    expect(buckets.get(CACHE_NAME)!.entries.has(`${BASE}onnx/model.onnx`)).toBe(false);
    await files.commit();
    expect(buckets.get(CACHE_NAME)!.entries.has(`${BASE}onnx/model.onnx`)).toBe(true);
    const again: boolean[] = [];
    await new HttpFiles(BASE, true).read('onnx/model.onnx', (_l, _t, c) => again.push(c), new AbortController().signal);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(again.every(Boolean)).toBe(true);
  });

  it('a cancelled download throws [cancelled] and caches nothing', async () => {
    const ac = new AbortController();
    let reads = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        reads++;
        if (reads === 2) ac.abort();
        ctrl.enqueue(new Uint8Array(10));
      },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(body, { headers: { 'content-length': '1000' } })),
    );
    const files = new HttpFiles(BASE, true);
    await expect(files.read('onnx/model.onnx', () => undefined, ac.signal)).rejects.toThrow(/\[cancelled\]/);
    expect(buckets.get(CACHE_NAME)?.entries.size ?? 0).toBe(0);
  });

  it('a file over its byte limit is refused: up front by content-length, or while streaming when the length is missing or false', async () => {
    let pulled = 0;
    const huge = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulled++;
        ctrl.enqueue(new Uint8Array(64 * 1024));
      },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(huge, { headers: { 'content-length': String(300 * 1024 * 1024) } })),
    );
    const files = new HttpFiles(BASE, true);
    await expect(files.read('config.json', () => undefined, new AbortController().signal)).rejects.toThrow(
      `[model-invalid] ${BASE}config.json is 300 MB, over the 1.0 MB limit`,
    );
    expect(pulled).toBeLessThanOrEqual(2); // refused by its header, not read
    // An endless body with no content-length stops just past the limit.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        sent += 256 * 1024;
        ctrl.enqueue(new Uint8Array(256 * 1024));
      },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(endless)),
    );
    await expect(files.read('tokenizer_config.json', () => undefined, new AbortController().signal)).rejects.toThrow(
      /tokenizer_config\.json is over 4\.0 MB \(still streaming\), over the 4\.0 MB limit/,
    );
    expect(sent).toBeLessThan(6 * 1024 * 1024);
    await files.commit();
    expect(buckets.get(CACHE_NAME)!.entries.size).toBe(0);
  });

  it('two readers of the same JSON file at about the same time (token view and a run) share one download', async () => {
    const fetchMock = vi.fn(async () => streamed([new TextEncoder().encode('{"a": 1}')]));
    vi.stubGlobal('fetch', fetchMock);
    const url = 'https://models.example/shared/';
    const [a, b] = await Promise.all([
      new HttpFiles(url, true).read('tokenizer_config.json', () => undefined, new AbortController().signal),
      new HttpFiles(url, true).read('tokenizer_config.json', () => undefined, new AbortController().signal),
    ]);
    expect(new TextDecoder().decode(b)).toBe(new TextDecoder().decode(a));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    // ONNX files are never shared this way (they are large): each read downloads.
    await new HttpFiles(url, true).read('onnx/model.onnx', () => undefined, new AbortController().signal);
    await new HttpFiles(url, true).read('onnx/model.onnx', () => undefined, new AbortController().signal);
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it('a 404 names the URL; a short body is an error, not a cached file', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('nope', { status: 404, statusText: 'Not Found' })),
    );
    const files = new HttpFiles(BASE, true);
    await expect(files.read('config.json', () => undefined, new AbortController().signal)).rejects.toThrow(`${BASE}config.json: HTTP 404`);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => streamed([new Uint8Array(4)], 10)),
    );
    await expect(files.read('onnx/model.onnx', () => undefined, new AbortController().signal)).rejects.toThrow(/ended after 4 of 10 bytes/);
    expect(buckets.get(CACHE_NAME)!.entries.size).toBe(0);
  });

  it('offline, lists the files that are not cached and refuses without fetching', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const fetchMock = vi.fn(async () => new Response('x'));
    vi.stubGlobal('fetch', fetchMock);
    const cache = await caches.open(CACHE_NAME);
    await cache.put(`${BASE}config.json`, new Response('{}'));
    const files = new HttpFiles(BASE, true);
    expect(await files.missingOffline(['config.json', 'tokenizer.json'])).toEqual(['tokenizer.json']);
    expect(await files.exists('tokenizer.json', new AbortController().signal)).toBe(false);
    expect(await files.exists('config.json', new AbortController().signal)).toBe(true);
    expect(fetchMock).not.toHaveBeenCalled();
    // Folders outside the model cache (built-ins) are the service worker's business.
    expect(await new HttpFiles(BASE, false).missingOffline(['config.json'])).toEqual([]);
  });

  it('a network failure while offline says so', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(new HttpFiles(BASE, false).read('config.json', () => undefined, new AbortController().signal)).rejects.toThrow(
      /offline and .* not on this device/,
    );
  });
});
