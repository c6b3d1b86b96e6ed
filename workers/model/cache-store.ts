import { LogitscopeError } from '../errors';
import type { CachedModel } from '../../protocol';
import { openModelCache } from './fetch-file';

const HUB_FOLDER = /^https:\/\/huggingface\.co\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/$/;

/** The model folder a cached file URL belongs to: everything before `onnx/`, or its directory. */
export function modelFolderOf(url: string): string {
  const onnx = url.indexOf('/onnx/');
  if (onnx >= 0) return url.slice(0, onnx + 1);
  return url.slice(0, url.lastIndexOf('/') + 1);
}

/** A short name for a folder: `org/name@rev` for the Hub (7-character commit), else the URL. */
export function folderLabel(base: string): string {
  const hub = HUB_FOLDER.exec(base);
  if (!hub) return base;
  const rev = /^[0-9a-f]{40}$/.test(hub[2]!) ? hub[2]!.slice(0, 7) : hub[2]!;
  return `${hub[1]}@${rev}`;
}

async function sizeOf(res: Response | undefined): Promise<number> {
  if (!res) return 0;
  const header = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(header) && header >= 0) return header;
  return (await res.blob()).size;
}

/** Group the cache's entries by model folder (the "models on this device" view). */
export async function listCachedModels(): Promise<CachedModel[]> {
  const cache = await openModelCache();
  if (!cache) return [];
  const byBase = new Map<string, CachedModel>();
  for (const req of await cache.keys()) {
    const base = modelFolderOf(req.url);
    const entry = byBase.get(base) ?? { base, label: folderLabel(base), files: 0, bytes: 0 };
    entry.files++;
    entry.bytes += await sizeOf(await cache.match(req));
    byBase.set(base, entry);
  }
  return [...byBase.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** Delete every cached file under the folder `base`; resolves to how many were removed. */
export async function deleteCachedModel(base: string): Promise<number> {
  if (typeof base !== 'string' || !base.endsWith('/')) {
    throw new LogitscopeError('bad-request', `the folder to delete must be a URL ending with /, got ${JSON.stringify(base)}`);
  }
  const cache = await openModelCache();
  if (!cache) return 0;
  let removed = 0;
  for (const req of await cache.keys()) {
    if (modelFolderOf(req.url) === base && (await cache.delete(req))) removed++;
  }
  return removed;
}
