import { LogitscopeError } from '../errors';

/** Bytes fetched so far for one file; total is 0 when the server sent no length. */
export type FileProgress = (loaded: number, total: number, fromCache: boolean) => void;

/** The Cache API bucket transformers.js also uses, so one "models on this device" view sees both. */
export const CACHE_NAME = 'transformers-cache';

/** How to fetch one file. */
export interface FetchOptions {
  /** Read from and write to the browser cache (remote model folders). */
  useCache: boolean;
  /** Aborts the download (Cancel); the partial file is never cached. */
  signal?: AbortSignal;
}

/** The model cache, or null where the Cache API is unavailable. */
export async function openModelCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME);
  } catch {
    return null;
  }
}

/** True when the browser reports no network (a worker's navigator follows the page's). */
export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** The error thrown when a download is cancelled. */
export function cancelledError(url: string): LogitscopeError {
  return new LogitscopeError('cancelled', `Download of ${url} cancelled`);
}

function isAbort(e: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (e instanceof DOMException && e.name === 'AbortError');
}

async function readStreamed(res: Response, url: string, onProgress: FileProgress, fromCache: boolean, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
  const total = Number(res.headers.get('content-length') ?? 0);
  if (!res.body) {
    const buf = new Uint8Array(await res.arrayBuffer());
    onProgress(buf.byteLength, buf.byteLength, fromCache);
    return buf;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw cancelledError(url);
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onProgress(loaded, Math.max(total, loaded), fromCache);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (isAbort(e, signal)) throw cancelledError(url);
    throw e;
  }
  if (total && loaded !== total && !res.headers.get('content-encoding')) {
    throw new LogitscopeError('model-invalid', `${url} ended after ${loaded} of ${total} bytes`);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  onProgress(loaded, loaded, fromCache);
  return out;
}

async function fetchOrExplain(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (isAbort(e, init.signal ?? undefined)) throw cancelledError(url);
    if (isOffline()) throw new LogitscopeError('model-not-found', `You are offline and ${url} is not on this device`);
    throw new LogitscopeError('model-not-found', `Could not fetch ${url}: ${e instanceof Error ? e.message : String(e)} (offline, or the server does not allow cross-origin requests)`);
  }
}

/**
 * Fetch a model file with progress. Remote files go through the browser cache so a reload does not
 * download them again; a missing file is a `model-not-found` error naming the URL.
 */
export async function fetchModelFile(url: string, onProgress: FileProgress, options: FetchOptions): Promise<Uint8Array<ArrayBuffer>> {
  const cache = options.useCache ? await openModelCache() : null;
  const cached = cache ? await cache.match(url) : undefined;
  if (cached) return readStreamed(cached, url, onProgress, true, options.signal);
  const res = await fetchOrExplain(url, options.signal ? { signal: options.signal } : {});
  if (!res.ok) {
    throw new LogitscopeError('model-not-found', `Could not fetch ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const bytes = await readStreamed(res, url, onProgress, false, options.signal);
  if (cache) {
    const headers = new Headers({ 'content-length': String(bytes.byteLength), 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' });
    await cache.put(url, new Response(bytes, { headers })).catch(() => undefined);
  }
  return bytes;
}

/** Whether a file exists: in the cache, or answering a HEAD request with 2xx. */
export async function probeModelFile(url: string, options: FetchOptions): Promise<boolean> {
  const cache = options.useCache ? await openModelCache() : null;
  if (cache && (await cache.match(url))) return true;
  if (isOffline()) return false;
  try {
    const res = await fetch(url, { method: 'HEAD', ...(options.signal ? { signal: options.signal } : {}) });
    return res.ok;
  } catch (e) {
    if (isAbort(e, options.signal)) throw cancelledError(url);
    return false;
  }
}

/** Parse JSON model file bytes, naming the URL when they are malformed. */
export function parseModelJson(bytes: Uint8Array, url: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new LogitscopeError('model-invalid', `${url} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new LogitscopeError('model-invalid', `${url} must contain a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
