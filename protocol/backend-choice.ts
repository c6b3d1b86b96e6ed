/**
 * `backend=auto`: which backend runs a model on this device, decided from a measurement (both
 * backends timed on the model) rather than a guess, and the sentence that says why. One rule, used
 * by the worker (which decides) and by the UI (which shows the stored choice before a run).
 * Pure: no DOM, no storage; the UI keeps measurements in localStorage (app/backend-store.ts).
 */
import type { Backend, BackendChoice } from './constants';

/** Version of the stored measurement format; a change makes every stored measurement stale. */
export const BACKEND_MEASUREMENT_VERSION = 1;

/** The WebGPU adapter as the decision sees it. */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** `GPUAdapterInfo.isFallbackAdapter` where the browser reports it. */
  isFallbackAdapter?: boolean;
}

/** One backend timed on one model: a prompt prefill and greedy steps after a warm-up pass. */
export interface BackendTiming {
  /** Prefill of the measurement prompt (ms). */
  prefillMs: number;
  /** Median time of one greedy decode step, forward and readout (ms). */
  msPerToken: number;
  /** Decode steps timed. */
  steps: number;
  /** The warm-up pass before the timed ones (ms): on WebGPU mostly shader compilation. */
  warmupMs: number;
}

/** Both backends timed for one model on one adapter: what localStorage keeps. */
export interface BackendMeasurement {
  version: typeof BACKEND_MEASUREMENT_VERSION;
  /** Model spec as requested (`builtin:stories260k`, `org/name`, ...). */
  model: string;
  /** Requested dtype, or `auto`. */
  dtype: string;
  /** `adapterKey` of the adapter measured on. */
  adapter: string;
  wasm: BackendTiming;
  webgpu: BackendTiming;
  /** ISO time of the measurement. */
  measuredAt: string;
}

/** What `auto` (or a forced backend) came to, with the reason shown in the UI and kept in the run record. */
export interface BackendDecision {
  requested: BackendChoice;
  backend: Backend;
  /** One sentence, e.g. `0.9 ms/token vs WebGPU 18 ms/token on this device`. */
  reason: string;
  /** The measurement behind an `auto` choice (null when none was needed or none exists yet). */
  measurement: BackendMeasurement | null;
  /** Set while the worker is still timing both backends (the provisional event before the choice). */
  measuring?: boolean;
}

/** What the rule needs: the request, the adapter (or why there is none) and any stored measurement. */
export interface DecisionInput {
  requested: BackendChoice;
  adapter: AdapterFacts | string;
  measurement: BackendMeasurement | null;
}

/** The rule's answer; `measure` = auto on a real adapter with no measurement yet: time both, then decide again. */
export type DecisionOutcome = { measure: true } | ({ measure: false } & BackendDecision);

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|warp/i;

/** Key of an adapter in stored measurements. */
export function adapterKey(a: AdapterFacts): string {
  return [a.vendor, a.architecture, a.device, a.description].map((s) => s.trim()).join('|');
}

/**
 * The measurement of `model` at `dtype` (absent = auto) on `adapter` among `list` (entries that failed
 * to parse are null), or null: none for this model, dtype and adapter, or no adapter at all.
 */
export function measurementFor(list: readonly (BackendMeasurement | null)[], model: string, dtype: string | null | undefined, adapter: AdapterFacts | string): BackendMeasurement | null {
  if (typeof adapter === 'string') return null;
  const key = adapterKey(adapter);
  return list.find((m) => m !== null && m.model === model && m.dtype === (dtype ?? 'auto') && m.adapter === key) ?? null;
}

/** Readable adapter name (`google swiftshader`). */
export function adapterName(a: AdapterFacts): string {
  return [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || a.device || 'unknown adapter';
}

/** A software rasteriser (SwiftShader, llvmpipe, WARP) or an adapter the browser flags as a fallback. */
export function isSoftwareAdapter(a: AdapterFacts): boolean {
  return a.isFallbackAdapter === true || SOFTWARE.test(`${a.vendor} ${a.architecture} ${a.device} ${a.description}`);
}

/** `0.86` → `0.86`, `18.6` → `18.6`, `312.4` → `312`. */
export function formatMs(ms: number): string {
  if (ms < 1) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

function label(b: Backend): string {
  return b === 'webgpu' ? 'WebGPU' : 'WASM';
}

function timings(m: BackendMeasurement, first: Backend): string {
  const other: Backend = first === 'wasm' ? 'webgpu' : 'wasm';
  return `${formatMs(m[first].msPerToken)} ms/token vs ${label(other)} ${formatMs(m[other].msPerToken)} ms/token on this device`;
}

/**
 * The decision rule. Forced backends run as asked (WebGPU falls back to WASM only when there is no
 * adapter). `auto`: no adapter → WASM; a software adapter → WASM without timing (it never wins by
 * default); otherwise the backend with the lower measured ms/token (a tie goes to WASM, which has
 * no shader compilation to pay), or `measure` when this model has not been timed on this adapter.
 */
export function decideBackend(input: DecisionInput): DecisionOutcome {
  const { requested, adapter, measurement } = input;
  const done = (backend: Backend, reason: string, m: BackendMeasurement | null = null): DecisionOutcome => ({ measure: false, requested, backend, reason, measurement: m });
  if (requested === 'wasm') return done('wasm', 'WASM was selected in the Backend control');
  if (typeof adapter === 'string') return done('wasm', adapter);
  if (requested === 'webgpu') {
    const note = isSoftwareAdapter(adapter) ? ` (the adapter, ${adapterName(adapter)}, is a software fallback: expect it to be much slower than WASM)` : '';
    return done('webgpu', `WebGPU was selected in the Backend control${note}`);
  }
  const m = measurement && measurement.adapter === adapterKey(adapter) ? measurement : null;
  if (isSoftwareAdapter(adapter)) {
    const measured = m ? `; measured WASM ${formatMs(m.wasm.msPerToken)} ms/token vs WebGPU ${formatMs(m.webgpu.msPerToken)} ms/token` : '';
    return done('wasm', `WebGPU adapter is a software fallback: ${adapterName(adapter)}${measured}`, m);
  }
  if (!m) return { measure: true };
  const backend: Backend = m.webgpu.msPerToken < m.wasm.msPerToken ? 'webgpu' : 'wasm';
  return done(backend, timings(m, backend), m);
}

/** `Backend: auto → WASM (…)` / `Backend: WebGPU (…)`: the line the UI shows. */
export function describeDecision(d: Pick<BackendDecision, 'requested' | 'backend' | 'reason'>): string {
  const head = d.requested === 'auto' ? `auto → ${label(d.backend)}` : d.requested === d.backend ? label(d.backend) : `${label(d.requested)} unavailable → ${label(d.backend)}`;
  return `Backend: ${head} (${d.reason})`;
}

function isTiming(v: unknown): v is BackendTiming {
  if (!v || typeof v !== 'object') return false;
  const t = v as Record<string, unknown>;
  return (['prefillMs', 'msPerToken', 'steps', 'warmupMs'] as const).every((k) => typeof t[k] === 'number' && Number.isFinite(t[k]) && (t[k] as number) >= 0);
}

/** A stored or received measurement if it has the current version and every field; null otherwise. */
export function parseMeasurement(v: unknown): BackendMeasurement | null {
  if (!v || typeof v !== 'object') return null;
  const m = v as Record<string, unknown>;
  if (m.version !== BACKEND_MEASUREMENT_VERSION) return null;
  if (typeof m.model !== 'string' || typeof m.dtype !== 'string' || typeof m.adapter !== 'string' || typeof m.measuredAt !== 'string') return null;
  if (!isTiming(m.wasm) || !isTiming(m.webgpu)) return null;
  return { version: BACKEND_MEASUREMENT_VERSION, model: m.model, dtype: m.dtype, adapter: m.adapter, measuredAt: m.measuredAt, wasm: { ...m.wasm }, webgpu: { ...m.webgpu } };
}
