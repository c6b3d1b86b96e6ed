import { LogitscopeError } from '../errors';

/** Bytes fetched so far for one file; total is 0 when the server sent no length. */
export type FileProgress = (loaded: number, total: number, fromCache: boolean) => void;

/** The Cache API bucket transformers.js also uses, so one "models on this device" view sees both. */
export const CACHE_NAME = 'transformers-cache';

async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME);
  } catch {
    return null;
  }
}

async function readStreamed(res: Response, url: string, onProgress: FileProgress, fromCache: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const total = Number(res.headers.get('content-length') ?? 0);
  if (!res.body) {
    const buf = new Uint8Array(await res.arrayBuffer());
    onProgress(buf.byteLength, buf.byteLength, fromCache);
    return buf;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress(loaded, Math.max(total, loaded), fromCache);
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

/**
 * Fetch a model file with progress. Remote (https) files go through the browser cache so a reload
 * does not download them again; a missing file is a `model-not-found` error naming the URL.
 */
export async function fetchModelFile(url: string, onProgress: FileProgress, useCache: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const cache = useCache ? await openCache() : null;
  const cached = cache ? await cache.match(url) : undefined;
  if (cached) return readStreamed(cached, url, onProgress, true);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new LogitscopeError('model-not-found', `Could not fetch ${url}: ${e instanceof Error ? e.message : String(e)} (offline, or the server does not allow cross-origin requests)`);
  }
  if (!res.ok) {
    throw new LogitscopeError('model-not-found', `Could not fetch ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const bytes = await readStreamed(res, url, onProgress, false);
  if (cache) {
    const headers = new Headers({ 'content-length': String(bytes.byteLength), 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' });
    await cache.put(url, new Response(bytes, { headers })).catch(() => undefined);
  }
  return bytes;
}

/** Fetch and parse a JSON model file, naming the URL when it is missing or malformed. */
export async function fetchModelJson(url: string, onProgress: FileProgress, useCache: boolean): Promise<Record<string, unknown>> {
  const bytes = await fetchModelFile(url, onProgress, useCache);
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
