import { LogitscopeError } from '../errors';
import { byteLimitFor, cancelledError, commitToCache, fetchModelFile, formatBytes, isOffline, openModelCache, probeModelFile, type FileProgress, type PendingCache } from './fetch-file';

/**
 * The files of one model folder, wherever they live: a URL folder (same-origin, https, the Hub)
 * or a local folder the user picked. Names are relative paths (`config.json`, `onnx/model.onnx`).
 */
export interface ModelFiles {
  /** Where `name` lives, for messages (a URL, or `local:<name>/<path>`). */
  where(name: string): string;
  /** The file's bytes; a missing file is a `model-not-found` error naming it. */
  read(name: string, onProgress: FileProgress, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>>;
  /** Whether the file exists (cache, HEAD request, or the folder listing). */
  exists(name: string, signal: AbortSignal): Promise<boolean>;
  /** Every file name when the source can list them (local folders), else null. */
  list(): string[] | null;
  /** Of `names`, those that cannot be read without a network while offline (empty when online). */
  missingOffline(names: string[]): Promise<string[]>;
  /** The model validated: keep what was downloaded for it (the model cache). Files read before are dropped otherwise. */
  commit(): Promise<void>;
}

/** A folder behind a URL; remote folders read through the browser cache. */
export class HttpFiles implements ModelFiles {
  private readonly pending: PendingCache = new Map();

  constructor(
    private readonly baseUrl: string,
    private readonly useCache: boolean,
  ) {}

  where(name: string): string {
    return this.baseUrl + name;
  }

  read(name: string, onProgress: FileProgress, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
    return fetchModelFile(this.where(name), onProgress, { useCache: this.useCache, signal, maxBytes: byteLimitFor(name), toCache: this.pending });
  }

  commit(): Promise<void> {
    return commitToCache(this.pending);
  }

  exists(name: string, signal: AbortSignal): Promise<boolean> {
    return probeModelFile(this.where(name), { useCache: this.useCache, signal });
  }

  list(): null {
    return null;
  }

  async missingOffline(names: string[]): Promise<string[]> {
    // Same-origin folders without the cache are served by the service worker (or not at all).
    if (!isOffline() || !this.useCache) return [];
    const cache = await openModelCache();
    const missing: string[] = [];
    for (const n of names) if (!cache || !(await cache.match(this.where(n)))) missing.push(n);
    return missing;
  }
}

/** A folder the user picked or dropped, held as File/Blob objects in the worker. */
export class LocalFiles implements ModelFiles {
  constructor(
    private readonly name: string,
    private readonly files: ReadonlyMap<string, Blob>,
  ) {}

  where(name: string): string {
    return `local:${this.name}/${name}`;
  }

  async read(name: string, onProgress: FileProgress, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
    const blob = this.files.get(name);
    if (!blob) throw new LogitscopeError('model-not-found', `The local folder ${this.name} has no ${name}`);
    const limit = byteLimitFor(name);
    if (blob.size > limit) throw new LogitscopeError('model-invalid', `${this.where(name)} is ${formatBytes(blob.size)}, over the ${formatBytes(limit)} limit for this file: refused`);
    const out = new Uint8Array(blob.size);
    const reader = blob.stream().getReader();
    let at = 0;
    for (;;) {
      if (signal.aborted) {
        await reader.cancel().catch(() => undefined);
        throw cancelledError(this.where(name));
      }
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, at);
      at += value.byteLength;
      onProgress(at, blob.size, true);
    }
    onProgress(blob.size, blob.size, true);
    return out;
  }

  async exists(name: string): Promise<boolean> {
    return this.files.has(name);
  }

  list(): string[] {
    return [...this.files.keys()].sort();
  }

  async missingOffline(): Promise<string[]> {
    return [];
  }

  async commit(): Promise<void> {
    // Local files are already on this device.
  }
}
