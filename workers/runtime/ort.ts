import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { installSubmitCounter } from './submit-counter';
import { installOrtRunTimer } from './ort-run-timer';
import type { AdapterFacts, Backend, BackendDecision, DeviceInfo } from '../../protocol';
import { gpuLedger, trackingDevice } from './gpu-ledger';

let configured = false;

/** Point ORT at the locally bundled wasm (never a CDN) and use one thread (no COOP/COEP needed). */
export function configureOrt(): typeof ort {
  if (!configured) {
    // Test/bench builds only: the product never patches GPUQueue.prototype.submit.
    if (import.meta.env.LOGITSCOPE_TEST_HOOKS) {
      installSubmitCounter();
      installOrtRunTimer(ort);
    }
    ort.env.wasm.wasmPaths = { wasm: ortWasmUrl() };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = 'error';
    configured = true;
  }
  return ort;
}

/** Absolute URL of the bundled ORT wasm (a hashed file name: a new build renames it). */
export function ortWasmUrl(): string {
  return new URL(wasmUrl, self.location.href).href;
}

/** The backend a run uses, and the facts shown to the user. */
export interface RuntimeDevice {
  backend: Backend;
  info: DeviceInfo;
}

let lostReason: string | null = null;
let watched: GPUDevice | null = null;

/** The WebGPU adapter, or the reason WebGPU cannot be used here. */
async function findAdapter(): Promise<GPUAdapter | string> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ?? 'no WebGPU adapter is available (GPU blocklisted or disabled)';
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The adapter as the backend decision sees it (facts and `shader-f16`), or why there is none. */
export interface ProbedAdapter {
  facts: AdapterFacts | string;
  shaderF16: boolean;
}

/** Ask for the WebGPU adapter (each call asks again: a lost device can change the answer). */
export async function probeAdapter(): Promise<ProbedAdapter> {
  const adapter = await findAdapter();
  if (typeof adapter === 'string') return { facts: adapter, shaderF16: false };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const fallback = info.isFallbackAdapter ?? legacy;
  return {
    facts: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, ...(fallback !== undefined && { isFallbackAdapter: fallback }) },
    shaderF16: adapter.features.has('shader-f16'),
  };
}

/** The device a decided backend runs on, with the facts shown to the user. */
export function deviceFor(decision: BackendDecision, probed: ProbedAdapter): RuntimeDevice {
  configureOrt();
  const facts = typeof probed.facts === 'string' ? null : probed.facts;
  if (decision.backend === 'wasm') {
    return { backend: 'wasm', info: { backend: 'wasm', adapter: null, shaderF16: false, fallbackReason: decision.reason, decision, probed: facts } };
  }
  const adapter = facts && { vendor: facts.vendor, architecture: facts.architecture, device: facts.device, description: facts.description };
  return { backend: 'webgpu', info: { backend: 'webgpu', adapter, shaderF16: probed.shaderF16, fallbackReason: null, decision, probed: facts } };
}

/**
 * ORT's own GPUDevice, on which the kernels must run to read its output buffers. Available only
 * after a WebGPU session exists (measured: this ORT build ignores a device set beforehand). The
 * device comes wrapped so that every buffer created through it is counted in the GPU ledger.
 */
export async function ortDevice(): Promise<GPUDevice> {
  const device = await rawOrtDevice();
  if (!device) throw new Error('onnxruntime-web has no WebGPU device yet');
  return trackingDevice(device);
}

async function rawOrtDevice(): Promise<GPUDevice | null> {
  if (!configured) return null;
  const device = (await configureOrt().env.webgpu.device) ?? null;
  if (device && watched !== device) {
    watched = device;
    lostReason = null;
    void device.lost.then((l) => {
      lostReason = l.message || l.reason || 'unknown reason';
      gpuLedger.reset();
    });
  }
  return device;
}

/** Test hook: destroy ORT's device and wait until the loss is seen. False when there is no device. */
export async function loseDeviceForTest(): Promise<boolean> {
  let device: GPUDevice | null = null;
  try {
    device = await rawOrtDevice();
  } catch {
    device = null;
  }
  if (!device) return false;
  device.destroy();
  await device.lost;
  lostReason = lostReason ?? 'destroyed';
  return true;
}

/**
 * The loss reason once ORT's device is lost, waiting up to `graceMs` for a loss in progress: a step can
 * fail on a destroyed device before `device.lost` resolves. Null when the device is fine (or none).
 */
export async function settledDeviceLoss(graceMs = 100): Promise<string | null> {
  const device = watched;
  if (lostReason || !device) return lostReason;
  await Promise.race([device.lost, new Promise((r) => setTimeout(r, graceMs))]);
  return lostReason;
}

/** Set when ORT's GPUDevice was lost. */
export function deviceLostReason(): string | null {
  return lostReason;
}
