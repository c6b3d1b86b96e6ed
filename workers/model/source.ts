import { LogitscopeError } from '../errors';
import type { Dtype } from '../../protocol';
import { catalogEntry } from './catalog';

/** Where a model's files live, resolved from the `model` string of a run request. */
export interface ModelSource {
  /** The string the user gave (`builtin:tiny-llama`, `org/name`, `/models/x/`, `https://...`, `local:x`). */
  spec: string;
  kind: 'builtin' | 'hub' | 'url' | 'local';
  /** Absolute URL of the folder, ending with `/` (`local:` folders get a `local:<name>/` pseudo URL). */
  baseUrl: string;
  /** Hub commit the files are pinned to (`main` when unpinned); null for other kinds. */
  revision: string | null;
}

const BUILTIN = /^builtin:([a-z0-9][a-z0-9-]{0,63})$/;
const HUB = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
/** Names a local folder may be registered under (also the `local:<name>` spec). */
export const LOCAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const LOCAL = /^local:(.+)$/;

/** Base URL of the built-in models, relative to the app origin. */
export const BUILTIN_ROOT = '/models/builtin/';

/** Folder URL of a Hub model at a revision (a commit id, or `main`). */
export function hubBaseUrl(id: string, revision: string): string {
  return `https://huggingface.co/${id}/resolve/${revision}/`;
}

/** Resolve a model string to a folder URL, or throw naming the value. */
export function resolveSource(spec: string, origin: string): ModelSource {
  const s = spec.trim();
  const builtin = BUILTIN.exec(s);
  if (builtin) return { spec: s, kind: 'builtin', baseUrl: `${origin}${BUILTIN_ROOT}${builtin[1]}/`, revision: null };
  const local = LOCAL.exec(s);
  if (local) {
    if (!LOCAL_NAME.test(local[1]!)) throw new LogitscopeError('bad-request', `local model names use letters, digits, . _ -, got ${JSON.stringify(spec)}`);
    return { spec: s, kind: 'local', baseUrl: `local:${local[1]}/`, revision: null };
  }
  if (s.startsWith('/') && !s.startsWith('//')) {
    return { spec: s, kind: 'url', baseUrl: withSlash(new URL(s, origin).href), revision: null };
  }
  if (s.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new LogitscopeError('bad-request', `model must be a valid URL, got ${JSON.stringify(spec)}`);
    }
    return { spec: s, kind: 'url', baseUrl: withSlash(url.href), revision: null };
  }
  if (HUB.test(s) && !s.includes('..')) {
    const revision = catalogEntry(s)?.revision ?? 'main';
    return { spec: s, kind: 'hub', baseUrl: hubBaseUrl(s, revision), revision };
  }
  throw new LogitscopeError(
    'bad-request',
    `model must be builtin:<name>, a Hub id like org/name, a same-origin path starting with /, an https:// URL or local:<name>, got ${JSON.stringify(spec)}`,
  );
}

function withSlash(u: string): string {
  const clean = u.split('#')[0]!.split('?')[0]!;
  return clean.endsWith('/') ? clean : `${clean}/`;
}

/** ONNX file suffix per dtype in the Hub layout. */
export const DTYPE_SUFFIX: Readonly<Record<Dtype, string>> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' };

/** The ONNX file name a dtype maps to in the Hub layout. */
export function onnxFileFor(dtype: Dtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

/**
 * The dtype whose decoder graph is `path` (`onnx/model_q4.onnx` → q4; the split-embedding layout's
 * `onnx/decoder_model_merged_q4.onnx` → q4 too), or null.
 */
export function dtypeOfFile(path: string): Dtype | null {
  for (const [dtype, suffix] of Object.entries(DTYPE_SUFFIX) as [Dtype, string][]) {
    if (path === `onnx/model${suffix}.onnx` || path === `onnx/decoder_model_merged${suffix}.onnx`) return dtype;
  }
  return null;
}
