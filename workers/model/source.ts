import { LogitscopeError } from '../errors';
import type { Dtype } from '../protocol';

/** Where a model's files live, resolved from the `model` string of a run request. */
export interface ModelSource {
  /** The string the user gave (`builtin:tiny-llama`, `org/name`, `/models/x/`, `https://...`). */
  spec: string;
  kind: 'builtin' | 'hub' | 'url';
  /** Absolute URL of the folder, ending with `/`. */
  baseUrl: string;
}

const BUILTIN = /^builtin:([a-z0-9][a-z0-9-]{0,63})$/;
const HUB = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** Base URL of the built-in models, relative to the app origin. */
export const BUILTIN_ROOT = '/models/builtin/';

/** Resolve a model string to a folder URL, or throw naming the value. */
export function resolveSource(spec: string, origin: string): ModelSource {
  const s = spec.trim();
  const builtin = BUILTIN.exec(s);
  if (builtin) return { spec: s, kind: 'builtin', baseUrl: `${origin}${BUILTIN_ROOT}${builtin[1]}/` };
  if (s.startsWith('/') && !s.startsWith('//')) {
    return { spec: s, kind: 'url', baseUrl: withSlash(new URL(s, origin).href) };
  }
  if (s.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new LogitscopeError('bad-request', `model must be a valid URL, got ${JSON.stringify(spec)}`);
    }
    return { spec: s, kind: 'url', baseUrl: withSlash(url.href) };
  }
  if (HUB.test(s) && !s.includes('..')) {
    return { spec: s, kind: 'hub', baseUrl: `https://huggingface.co/${s}/resolve/main/` };
  }
  throw new LogitscopeError(
    'bad-request',
    `model must be builtin:<name>, a Hub id like org/name, a same-origin path starting with / or an https:// URL, got ${JSON.stringify(spec)}`,
  );
}

function withSlash(u: string): string {
  const clean = u.split('#')[0]!.split('?')[0]!;
  return clean.endsWith('/') ? clean : `${clean}/`;
}

/** The ONNX file name a dtype maps to in the Hub layout. */
export function onnxFileFor(dtype: Dtype): string {
  const suffix: Record<Dtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' };
  return `onnx/model${suffix[dtype]}.onnx`;
}
