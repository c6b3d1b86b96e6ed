/**
 * Backend measurements for `backend=auto`, kept in localStorage per model, dtype and adapter
 * (protocol/backend-choice.ts). The key carries the format version: a new version ignores older
 * entries. Storage that throws (private mode, quota, disabled) means "nothing stored".
 */
import { BACKEND_MEASUREMENT_VERSION, parseMeasurement, type BackendMeasurement } from '../protocol';

/** Prefix of every key (`logitscope.backend.v1:<model>|<dtype>|<adapter>`). */
export const MEASUREMENT_PREFIX = `logitscope.backend.v${BACKEND_MEASUREMENT_VERSION}:`;

/** The storage key of a measurement. */
export function measurementKey(m: Pick<BackendMeasurement, 'model' | 'dtype' | 'adapter'>): string {
  return `${MEASUREMENT_PREFIX}${m.model}|${m.dtype}|${m.adapter}`;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Every valid stored measurement (malformed or stale entries are skipped). */
export function storedMeasurements(store: Storage | null = storage()): BackendMeasurement[] {
  if (!store) return [];
  const out: BackendMeasurement[] = [];
  try {
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (!key?.startsWith(MEASUREMENT_PREFIX)) continue;
      let value: unknown = null;
      try {
        value = JSON.parse(store.getItem(key) ?? 'null');
      } catch {
        value = null;
      }
      const m = parseMeasurement(value);
      if (m && measurementKey(m) === key) out.push(m);
    }
  } catch {
    return out;
  }
  return out;
}

/** Keep `m`; resolves to null, or to why it could not be stored (shown, never thrown). */
export function storeMeasurement(m: BackendMeasurement, store: Storage | null = storage()): string | null {
  if (!store) return 'this browser offers no local storage: the measurement holds for this page only';
  try {
    store.setItem(measurementKey(m), JSON.stringify(m));
    return null;
  } catch (e) {
    return `the measurement could not be stored (${e instanceof Error ? e.message : String(e)}): it holds for this page only`;
  }
}
