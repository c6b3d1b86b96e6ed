import { LogitscopeError } from '../errors';
import { DTYPES as ALL, isDtype, preferredDtypes, type Dtype } from '../../protocol';
import { dtypeNeedsF16, shaderF16Error } from './capabilities';
import { dtypePresent } from './layout';
import { DTYPE_SUFFIX, onnxFileFor } from './source';

/** The dtype preference of "auto" (one copy, in protocol/constants.ts, shared with the UI). */
export { preferredDtypes };

/** The dtype a model's config asks for (`transformers.js_config.dtype`, a string or `{model: ...}`). */
export function configDtype(config: Record<string, unknown>): Dtype | null {
  const tjs = config['transformers.js_config'];
  const d = tjs && typeof tjs === 'object' ? (tjs as Record<string, unknown>).dtype : undefined;
  const v = d && typeof d === 'object' ? (d as Record<string, unknown>).model : d;
  return isDtype(v) ? v : null;
}

/** Ways to learn which ONNX files a folder holds. */
export interface DtypeOptions {
  /** Explicit choice (URL or Weights control); null = auto. */
  requested: Dtype | null;
  config: Record<string, unknown>;
  shaderF16: boolean;
  /**
   * Whether fp16 tensors run on the chosen backend (WASM always; WebGPU only with `shader-f16`).
   * When false, fp16 and q4f16 are never picked and asking for them is refused. Default true.
   */
  f16Runs?: boolean;
  /** The dtypes present when known (local listing, catalog), else null. */
  available: Dtype[] | null;
  /** Whether a file exists (HEAD request or cache), for folders that cannot be listed. */
  probe: (file: string) => Promise<boolean>;
  /** The folder, for messages. */
  where: string;
}

/** The dtypes present, listed for a "no ONNX file for dtype" message: `fp32 (onnx/model.onnx)`. */
export function describeDtypes(dtypes: readonly Dtype[]): string {
  return dtypes.length === 0 ? 'none' : dtypes.map((d) => `${d} (${onnxFileFor(d)})`).join(', ');
}

/** The dtypes present, from the listing or by probing every candidate file. */
export async function presentDtypes(opts: Pick<DtypeOptions, 'available' | 'probe'>): Promise<Dtype[]> {
  if (opts.available) return opts.available;
  const found: Dtype[] = [];
  for (const d of ALL) if (await dtypePresent(d, opts.probe)) found.push(d);
  return found;
}

/** The error for a dtype whose ONNX file is missing, listing the ones present. */
export function missingDtypeError(dtype: Dtype, where: string, present: readonly Dtype[]): LogitscopeError {
  return new LogitscopeError(
    'model-not-found',
    `No ONNX file for dtype ${dtype} in ${where} (expected ${onnxFileFor(dtype)}); present: ${describeDtypes(present)}`,
  );
}

/** The refusal for an fp16 dtype on a backend without fp16, naming the runnable dtypes present. */
async function f16DtypeError(dtype: Dtype, opts: DtypeOptions): Promise<LogitscopeError> {
  const present = await presentDtypes(opts);
  return shaderF16Error(
    `dtype ${dtype} (${opts.where}${onnxFileFor(dtype)})`,
    present.filter((d) => !dtypeNeedsF16(d)),
  );
}

/**
 * Pick the dtype to load: the requested one, the config's, or the first preferred one present,
 * among those that run here (no fp16 on WebGPU without `shader-f16`: refused, naming what works).
 */
export async function chooseDtype(opts: DtypeOptions): Promise<Dtype> {
  const runs = (d: Dtype) => opts.f16Runs !== false || !dtypeNeedsF16(d);
  const has = (d: Dtype) => (opts.available ? Promise.resolve(opts.available.includes(d)) : dtypePresent(d, opts.probe));
  if (opts.requested) {
    if (opts.available && !opts.available.includes(opts.requested)) throw missingDtypeError(opts.requested, opts.where, opts.available);
    if (!runs(opts.requested)) throw await f16DtypeError(opts.requested, opts);
    return opts.requested;
  }
  const fromConfig = configDtype(opts.config);
  if (fromConfig && runs(fromConfig) && (!opts.available || opts.available.includes(fromConfig))) return fromConfig;
  const order = preferredDtypes(opts.shaderF16);
  for (const d of order.filter(runs)) if (await has(d)) return d;
  // Nothing here runs: when the folder holds only fp16 files, say so rather than "no file".
  for (const d of order.filter((x) => !runs(x))) if (await has(d)) throw await f16DtypeError(d, opts);
  throw new LogitscopeError('model-not-found', `No ONNX file in ${opts.where}onnx/ (looked for ${ALL.map(onnxFileFor).join(', ')})`);
}

/**
 * External data files of the dtype's ONNX file (`onnx/model_fp16.onnx_data`, `..._data_1`, ...),
 * following transformers.js' `use_external_data_format` (true = one chunk, a number = that many,
 * or an object keyed by file name); `hint` is used when the config says nothing.
 */
export function externalDataFiles(config: Record<string, unknown>, dtype: Dtype, hint = 0): string[] {
  const fullName = `model${DTYPE_SUFFIX[dtype]}.onnx`;
  const tjs = config['transformers.js_config'];
  const setting = tjs && typeof tjs === 'object' ? (tjs as Record<string, unknown>).use_external_data_format : undefined;
  let chunks = hint;
  if (setting !== undefined && setting !== null) {
    if (typeof setting === 'object') {
      const byName = setting as Record<string, unknown>;
      chunks = Number(byName[fullName] ?? byName.model ?? 0);
    } else {
      chunks = Number(setting);
    }
  }
  if (!Number.isInteger(chunks) || chunks < 0 || chunks > 100) {
    throw new LogitscopeError('model-invalid', `transformers.js_config.use_external_data_format must give 0 to 100 chunks, got ${JSON.stringify(setting)}`);
  }
  return Array.from({ length: chunks }, (_, i) => `onnx/${fullName}_data${i === 0 ? '' : `_${i}`}`);
}

/** External data chunks a local listing holds for the dtype's ONNX file. */
export function externalDataInListing(paths: readonly string[], dtype: Dtype): number {
  const base = `onnx/model${DTYPE_SUFFIX[dtype]}.onnx_data`;
  let n = 0;
  while (paths.includes(n === 0 ? base : `${base}_${n}`)) n++;
  return n;
}
