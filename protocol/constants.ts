/**
 * Constants both sides share at runtime: the dtypes and backends a request may name, the dtype
 * preference of "auto", the boundary limits and the seed range. The worker enforces them
 * (workers/validate.ts); the UI checks forms and URLs against the same values.
 */

/** Execution backend: WebGPU EP + WGSL kernels, or the WASM EP + CPU reference kernels. */
export type Backend = 'webgpu' | 'wasm';

/** ONNX weight variants as laid out on the Hub (`onnx/model.onnx`, `onnx/model_q4.onnx`, ...). */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

/** Every dtype, in the order messages list them. */
export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/** Every backend a run can execute on. */
export const BACKENDS: readonly Backend[] = ['webgpu', 'wasm'];

/** What a request may ask for: `auto` (chosen per model and device by measurement) or one backend. */
export type BackendChoice = 'auto' | Backend;

/** Every backend choice; the first is the default. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKENDS];

/** Whether `v` names a dtype. */
export function isDtype(v: unknown): v is Dtype {
  return typeof v === 'string' && (DTYPES as readonly string[]).includes(v);
}

/** Whether `v` names a backend. */
export function isBackend(v: unknown): v is Backend {
  return typeof v === 'string' && (BACKENDS as readonly string[]).includes(v);
}

/** Whether `v` names a backend choice (`auto` or a backend). */
export function isBackendChoice(v: unknown): v is BackendChoice {
  return typeof v === 'string' && (BACKEND_CHOICES as readonly string[]).includes(v);
}

/**
 * dtypes to try, best first, when the user leaves the choice on auto: q4f16 where the adapter has
 * `shader-f16`, otherwise q4, then fp32 (then whatever else the export offers).
 */
export function preferredDtypes(shaderF16: boolean): Dtype[] {
  return shaderF16 ? ['q4f16', 'q4', 'fp32', 'fp16', 'q8'] : ['q4', 'fp32', 'q8', 'fp16', 'q4f16'];
}

/** Largest seed the worker's PRNG takes (uint32); seeds are integers from 0 to this. */
export const SEED_MAX = 0xffffffff;

/** Limits enforced at the boundary (worker validates; the UI gets them from `catalog()`). */
export interface Limits {
  maxNewTokensMin: number;
  maxNewTokensMax: number;
  maxPromptChars: number;
  maxPanels: number;
}

/** The limits the worker enforces and `catalog()` reports. */
export const LIMITS: Readonly<Limits> = Object.freeze({ maxNewTokensMin: 1, maxNewTokensMax: 2048, maxPromptChars: 20_000, maxPanels: 6 });
