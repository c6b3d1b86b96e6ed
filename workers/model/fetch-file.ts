import { LogitscopeError } from '../errors';

/** Bytes fetched so far for one file; total is 0 when the server sent no length. */
export type FileProgress = (loaded: number, total: number, fromCache: boolean) => void;

/** The Cache API bucket transformers.js also uses, so one "models on this device" view sees both. */
export const CACHE_NAME = 'transformers-cache';

/** How to fetch one file. */
export interface FetchOptions {
  /** Read from the browser cache (remote model folders); new files go to `toCache`, not straight in. */
  useCache: boolean;
  /** Aborts the download (Cancel); the partial file is never cached. */
  signal?: AbortSignal;
  /** Refuse the file past this many bytes: up front by its content-length, else while streaming. */
  maxBytes?: number;
  /**
   * Downloaded files wait here until the model they belong to has validated (`commitToCache`), so
   * a broken or hostile folder never leaves files in the model cache.
   */
  toCache?: PendingCache;
}

/** Files downloaded for one load, not yet in the model cache. */
export type PendingCache = Map<string, { bytes: Uint8Array<ArrayBuffer>; type: string }>;

const MiB = 1024 * 1024;
/** Per-file byte limits: JSON files are small; an ONNX graph cannot exceed protobuf's 2 GiB. */
export const FILE_LIMITS = {
  json: 1 * MiB,
  tokenizerConfig: 4 * MiB,
  tokenizer: 64 * MiB,
  onnx: 2048 * MiB,
  externalData: 4096 * MiB,
} as const;

/** The byte limit of a model file by its relative name. */
export function byteLimitFor(name: string): number {
  if (name === 'tokenizer.json') return FILE_LIMITS.tokenizer;
  if (name === 'tokenizer_config.json') return FILE_LIMITS.tokenizerConfig;
  if (name.endsWith('.json')) return FILE_LIMITS.json;
  if (name.endsWith('.onnx')) return FILE_LIMITS.onnx;
  return FILE_LIMITS.externalData;
}

/** `1.5 MB`-style size for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < MiB) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  if (n < 1024 * MiB) return `${(n / MiB).toFixed(n < 10 * MiB ? 1 : 0)} MB`;
  return `${(n / (1024 * MiB)).toFixed(1)} GB`;
}

function tooLarge(url: string, size: string, limit: number): LogitscopeError {
  return new LogitscopeError('model-invalid', `${url} is ${size}, over the ${formatBytes(limit)} limit for this file: refused (a model file this size is not a model this app can run, or the server is not sending a model file)`);
}

/** Put the files of a model that validated into the model cache (best effort: a full disk only costs a later download). */
export async function commitToCache(pending: PendingCache): Promise<void> {
  const cache = pending.size > 0 ? await openModelCache() : null;
  if (cache) {
    for (const [url, f] of pending) {
      const headers = new Headers({ 'content-length': String(f.bytes.byteLength), 'content-type': f.type });
      await cache.put(url, new Response(f.bytes, { headers })).catch(() => undefined);
    }
  }
  pending.clear();
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

async function readStreamed(res: Response, url: string, onProgress: FileProgress, fromCache: boolean, signal?: AbortSignal, maxBytes = Infinity): Promise<Uint8Array<ArrayBuffer>> {
  const total = Number(res.headers.get('content-length') ?? 0);
  if (total > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(url, formatBytes(total), maxBytes);
  }
  if (!res.body) {
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.byteLength > maxBytes) throw tooLarge(url, formatBytes(buf.byteLength), maxBytes);
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
      // No (or a false) content-length: stop an endless or oversized body as soon as it passes the limit.
      if (loaded > maxBytes) throw tooLarge(url, `over ${formatBytes(maxBytes)} (still streaming)`, maxBytes);
      onProgress(loaded, Math.max(total, loaded), fromCache);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (e instanceof LogitscopeError) throw e;
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
 * Fetch a model file with progress. Remote files are read from the browser cache when there, so a
 * reload does not download them again; new ones wait in `toCache` until the model validates. A
 * missing file is a `model-not-found` error naming the URL; one over `maxBytes` is `model-invalid`.
 */
export async function fetchModelFile(url: string, onProgress: FileProgress, options: FetchOptions): Promise<Uint8Array<ArrayBuffer>> {
  const cache = options.useCache ? await openModelCache() : null;
  const cached = cache ? await cache.match(url) : undefined;
  if (cached) return readStreamed(cached, url, onProgress, true, options.signal, options.maxBytes);
  if (!isJsonUrl(url)) return download(url, onProgress, options, cache !== null);
  // The prompt's token view and a run's load read the same small JSON files at about the same time
  // (before the model is in the cache): one download serves both.
  const recent = recentJson.get(url);
  if (recent && performance.now() - recent.at < RECENT_JSON_MS) {
    try {
      const bytes = await recent.bytes;
      // Downloaded in this session (by the other reader), not read from the model cache.
      onProgress(bytes.byteLength, bytes.byteLength, false);
      if (cache) options.toCache?.set(url, { bytes, type: 'application/json' });
      return bytes;
    } catch {
      // That download failed or was cancelled by its own reader: try again below.
    }
  }
  const bytes = download(url, onProgress, options, cache !== null);
  const entry = { at: performance.now(), bytes };
  recentJson.set(url, entry);
  bytes.catch(() => {
    if (recentJson.get(url) === entry) recentJson.delete(url);
  });
  return bytes;
}

/** JSON files downloaded in the last minute, by URL (small: at most the JSON limits above). */
const recentJson = new Map<string, { at: number; bytes: Promise<Uint8Array<ArrayBuffer>> }>();
const RECENT_JSON_MS = 60_000;

function isJsonUrl(url: string): boolean {
  try {
    return new URL(url).pathname.endsWith('.json');
  } catch {
    return url.endsWith('.json');
  }
}

async function download(url: string, onProgress: FileProgress, options: FetchOptions, caching: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const res = await fetchOrExplain(url, options.signal ? { signal: options.signal } : {});
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new LogitscopeError('model-not-found', `Could not fetch ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const bytes = await readStreamed(res, url, onProgress, false, options.signal, options.maxBytes);
  if (caching) options.toCache?.set(url, { bytes, type: res.headers.get('content-type') ?? 'application/octet-stream' });
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
