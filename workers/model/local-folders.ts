import { LogitscopeError } from '../errors';
import type { Dtype, LocalFile, LocalFolderInfo } from '../../protocol';
import { LocalFiles } from './files';
import { dtypeOfFile, LOCAL_NAME } from './source';

/** Most files a local folder may hold (a model folder has about ten). */
export const MAX_LOCAL_FILES = 5000;

function bad(message: string): never {
  throw new LogitscopeError('bad-request', message);
}

/** One path made relative with `/` separators; rejects `..`, empty and absolute paths. */
function cleanPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') bad(`every local file needs a relative path, got ${JSON.stringify(raw)}`);
  const parts = raw.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..') || /^[A-Za-z]:$/.test(parts[0]!) || raw.startsWith('/')) {
    bad(`local file paths must stay inside the folder, got ${JSON.stringify(raw)}`);
  }
  return parts.join('/');
}

/**
 * Paths relative to the model folder. A directory picker reports `picked-folder/config.json`; when
 * every path starts with the same folder and none is `config.json` at the top, that folder is the
 * model folder and its name is dropped.
 */
export function normalizeLocalPaths(files: readonly LocalFile[]): Map<string, Blob> {
  if (!Array.isArray(files) || files.length === 0) bad('the local folder has no files');
  if (files.length > MAX_LOCAL_FILES) bad(`a local folder may hold at most ${MAX_LOCAL_FILES} files, got ${files.length}`);
  const paths = files.map((f) => cleanPath(f?.path));
  const first = paths[0]!.split('/')[0]!;
  const wrapped = !paths.includes('config.json') && paths.every((p) => p.includes('/') && p.split('/')[0] === first);
  const out = new Map<string, Blob>();
  files.forEach((f, i) => {
    if (!(f.file instanceof Blob)) bad(`local file ${JSON.stringify(paths[i])} is not a File or Blob`);
    const path = wrapped ? paths[i]!.slice(first.length + 1) : paths[i]!;
    if (out.has(path)) bad(`the local folder lists ${JSON.stringify(path)} twice`);
    out.set(path, f.file);
  });
  return out;
}

/** The dtypes whose ONNX file a listing holds. */
export function dtypesInListing(paths: readonly string[]): Dtype[] {
  return [...new Set(paths.map(dtypeOfFile).filter((d): d is Dtype => d !== null))];
}

/** Local folders registered in this worker, by name. */
export class LocalFolders {
  private readonly folders = new Map<string, Map<string, Blob>>();

  /** Register (or replace) `name`; checks it looks like a model folder. */
  register(name: string, files: readonly LocalFile[]): LocalFolderInfo {
    if (typeof name !== 'string' || !LOCAL_NAME.test(name)) bad(`local folder names use letters, digits, . _ - (at most 64), got ${JSON.stringify(name)}`);
    const map = normalizeLocalPaths(files);
    if (!map.has('config.json')) {
      throw new LogitscopeError('model-invalid', `The folder ${name} has no config.json: pick the model folder itself (config.json, tokenizer.json, onnx/)`);
    }
    this.folders.set(name, map);
    let bytes = 0;
    for (const b of map.values()) bytes += b.size;
    return { spec: `local:${name}`, files: map.size, bytes, dtypes: dtypesInListing([...map.keys()]) };
  }

  /** The files of `name`, or a `model-not-found` error saying to pick the folder again. */
  files(name: string): LocalFiles {
    const map = this.folders.get(name);
    if (!map) {
      throw new LogitscopeError('model-not-found', `The local folder ${name} is not loaded in this page: pick it again (local folders cannot be restored from a link)`);
    }
    return new LocalFiles(name, map);
  }
}
