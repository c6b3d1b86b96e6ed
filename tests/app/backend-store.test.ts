import { describe, expect, it } from 'vitest';
import { MEASUREMENT_PREFIX, measurementKey, storedMeasurements, storeMeasurement } from '../../app/backend-store';
import { BACKEND_MEASUREMENT_VERSION, type BackendMeasurement } from '../../protocol';

/** A Storage over a Map (what localStorage offers), optionally refusing writes like a full quota. */
class MapStorage implements Storage {
  private readonly map = new Map<string, string>();
  constructor(private readonly full = false) {}
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.full) throw new Error('QuotaExceededError');
    this.map.set(key, value);
  }
}

const m: BackendMeasurement = {
  version: BACKEND_MEASUREMENT_VERSION,
  model: 'builtin:stories260k',
  dtype: 'auto',
  adapter: 'google|swiftshader||Google SwiftShader',
  wasm: { prefillMs: 3, msPerToken: 0.9, steps: 8, warmupMs: 10 },
  webgpu: { prefillMs: 90, msPerToken: 40, steps: 8, warmupMs: 9000 },
  measuredAt: '2026-11-27T00:00:00.000Z',
};

describe('backend measurements in localStorage', () => {
  it('stores under a versioned key per model, dtype and adapter and reads back', () => {
    const s = new MapStorage();
    expect(storeMeasurement(m, s)).toBeNull();
    expect(measurementKey(m)).toBe(`logitscope.backend.v${BACKEND_MEASUREMENT_VERSION}:builtin:stories260k|auto|google|swiftshader||Google SwiftShader`);
    expect(storedMeasurements(s)).toEqual([m]);
    storeMeasurement({ ...m, wasm: { ...m.wasm, msPerToken: 1.1 } }, s);
    expect(storedMeasurements(s).map((x) => x.wasm.msPerToken)).toEqual([1.1]);
  });
  it('skips corrupt, stale and foreign entries', () => {
    const s = new MapStorage();
    s.setItem(`${MEASUREMENT_PREFIX}x`, '{not json');
    s.setItem(`${MEASUREMENT_PREFIX}y`, JSON.stringify({ ...m, version: 99 }));
    s.setItem(`${MEASUREMENT_PREFIX}wrong-key`, JSON.stringify(m));
    s.setItem('other-app', JSON.stringify(m));
    expect(storedMeasurements(s)).toEqual([]);
  });
  it('says why when storage refuses or is missing, instead of throwing', () => {
    expect(storeMeasurement(m, new MapStorage(true))).toMatch(/could not be stored \(QuotaExceededError\)/);
    expect(storeMeasurement(m, null)).toMatch(/no local storage/);
    expect(storedMeasurements(null)).toEqual([]);
  });
});
