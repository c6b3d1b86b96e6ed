import { describe, expect, it } from 'vitest';
import {
  adapterKey,
  BACKEND_MEASUREMENT_VERSION,
  decideBackend,
  describeDecision,
  isSoftwareAdapter,
  measurementFor,
  parseMeasurement,
  type AdapterFacts,
  type BackendMeasurement,
  type BackendTiming,
} from '../../protocol';

const NVIDIA: AdapterFacts = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200' };
const SWIFTSHADER: AdapterFacts = { vendor: 'google', architecture: 'swiftshader', device: '', description: 'Google SwiftShader' };

function timing(msPerToken: number): BackendTiming {
  return { prefillMs: msPerToken * 3, msPerToken, steps: 8, warmupMs: msPerToken * 10 };
}

function measured(wasm: number, webgpu: number, adapter: AdapterFacts = NVIDIA): BackendMeasurement {
  return { version: BACKEND_MEASUREMENT_VERSION, model: 'builtin:stories260k', dtype: 'auto', adapter: adapterKey(adapter), wasm: timing(wasm), webgpu: timing(webgpu), measuredAt: '2026-11-27T00:00:00.000Z' };
}

describe('backend=auto decides by measurement', () => {
  it('a real adapter with no measurement asks for one', () => {
    expect(decideBackend({ requested: 'auto', adapter: NVIDIA, measurement: null })).toEqual({ measure: true });
  });

  it('the faster measured backend wins, and the reason quotes both timings', () => {
    const tiny = decideBackend({ requested: 'auto', adapter: NVIDIA, measurement: measured(0.86, 18.6) });
    expect(tiny).toMatchObject({ measure: false, backend: 'wasm', reason: '0.86 ms/token vs WebGPU 18.6 ms/token on this device' });
    expect(describeDecision(tiny as Exclude<typeof tiny, { measure: true }>)).toBe('Backend: auto → WASM (0.86 ms/token vs WebGPU 18.6 ms/token on this device)');
    const big = decideBackend({ requested: 'auto', adapter: NVIDIA, measurement: measured(240, 12) });
    expect(big).toMatchObject({ measure: false, backend: 'webgpu', reason: '12.0 ms/token vs WASM 240 ms/token on this device' });
  });

  it('a tie goes to WASM', () => {
    expect(decideBackend({ requested: 'auto', adapter: NVIDIA, measurement: measured(5, 5) })).toMatchObject({ backend: 'wasm' });
  });

  it('a measurement of another adapter does not count', () => {
    const other = measured(240, 12, { ...NVIDIA, description: 'NVIDIA H100' });
    expect(decideBackend({ requested: 'auto', adapter: NVIDIA, measurement: other })).toEqual({ measure: true });
  });

  it('a software adapter never wins by default, even when measured faster, and is not timed', () => {
    const none = decideBackend({ requested: 'auto', adapter: SWIFTSHADER, measurement: null });
    expect(none).toMatchObject({ measure: false, backend: 'wasm', reason: 'WebGPU adapter is a software fallback: google swiftshader' });
    const faster = decideBackend({ requested: 'auto', adapter: SWIFTSHADER, measurement: measured(30, 3, SWIFTSHADER) });
    expect(faster).toMatchObject({ backend: 'wasm', reason: 'WebGPU adapter is a software fallback: google swiftshader; measured WASM 30.0 ms/token vs WebGPU 3.0 ms/token' });
    const flagged = { ...NVIDIA, isFallbackAdapter: true };
    expect(decideBackend({ requested: 'auto', adapter: flagged, measurement: measured(30, 3, flagged) })).toMatchObject({ backend: 'wasm' });
  });

  it('recognises software adapters by name or flag', () => {
    expect(isSoftwareAdapter(SWIFTSHADER)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15.0.7, 256 bits)', description: '' })).toBe(true);
    expect(isSoftwareAdapter({ ...NVIDIA, isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter(NVIDIA)).toBe(false);
  });

  it('without an adapter auto runs WASM and says why', () => {
    expect(decideBackend({ requested: 'auto', adapter: 'this browser exposes no WebGPU (navigator.gpu is missing)', measurement: null })).toMatchObject({
      backend: 'wasm',
      reason: 'this browser exposes no WebGPU (navigator.gpu is missing)',
    });
  });
});

describe('forced backends', () => {
  it('webgpu runs WebGPU whatever the measurement says, and warns on a software adapter', () => {
    expect(decideBackend({ requested: 'webgpu', adapter: NVIDIA, measurement: measured(0.5, 20) })).toMatchObject({ backend: 'webgpu', reason: 'WebGPU was selected in the Backend control' });
    const soft = decideBackend({ requested: 'webgpu', adapter: SWIFTSHADER, measurement: null });
    expect(soft).toMatchObject({ backend: 'webgpu' });
    expect(soft.measure === false && soft.reason).toMatch(/software fallback/);
  });
  it('webgpu without an adapter falls back to WASM with the reason', () => {
    const d = decideBackend({ requested: 'webgpu', adapter: 'no WebGPU adapter is available', measurement: null });
    expect(d).toMatchObject({ backend: 'wasm', reason: 'no WebGPU adapter is available' });
    expect(describeDecision(d as Exclude<typeof d, { measure: true }>)).toBe('Backend: WebGPU unavailable → WASM (no WebGPU adapter is available)');
  });
  it('wasm runs WASM without looking at the adapter', () => {
    expect(decideBackend({ requested: 'wasm', adapter: NVIDIA, measurement: measured(50, 1) })).toMatchObject({ backend: 'wasm' });
  });
});

describe('stored measurements', () => {
  it('round-trip through JSON and reject other versions or missing timings', () => {
    const m = measured(1, 2);
    expect(parseMeasurement(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(parseMeasurement({ ...m, version: 0 })).toBeNull();
    expect(parseMeasurement({ ...m, webgpu: { msPerToken: 'fast' } })).toBeNull();
    expect(parseMeasurement({ ...m, wasm: { ...m.wasm, msPerToken: -1 } })).toBeNull();
    expect(parseMeasurement('{}')).toBeNull();
  });
});

describe('measurementFor', () => {
  it('finds the measurement of this model, dtype (absent = auto) and adapter, skipping unparsed entries', () => {
    const mine = measured(1, 2);
    const other = { ...measured(3, 4), model: 'builtin:tiny-llama' };
    const q4 = { ...measured(5, 6), dtype: 'q4' as const };
    const list = [null, other, q4, measured(7, 8, SWIFTSHADER), mine];
    expect(measurementFor(list, 'builtin:stories260k', undefined, NVIDIA)).toBe(mine);
    expect(measurementFor(list, 'builtin:stories260k', 'q4', NVIDIA)).toBe(q4);
    expect(measurementFor(list, 'builtin:stories260k', null, SWIFTSHADER)?.wasm.msPerToken).toBe(7);
    expect(measurementFor(list, 'builtin:stories-draft', null, NVIDIA)).toBeNull();
    expect(measurementFor(list, 'builtin:stories260k', null, 'no WebGPU adapter')).toBeNull();
  });
});
