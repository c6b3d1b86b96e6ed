import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { Backend, DeviceInfo } from '../protocol';

let configured = false;

/** Point ORT at the locally bundled wasm (never a CDN) and use one thread (no COOP/COEP needed). */
export function configureOrt(): typeof ort {
  if (!configured) {
    ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, self.location.href).href };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = 'error';
    configured = true;
  }
  return ort;
}

/** The device a run uses: WebGPU with ORT's own GPUDevice, or WASM with the reason it was chosen. */
export interface RuntimeDevice {
  backend: Backend;
  device: GPUDevice | null;
  info: DeviceInfo;
}

let webgpu: Promise<RuntimeDevice> | null = null;
let lostReason: string | null = null;

/** Why WebGPU cannot be used here, or null when an adapter is available. */
async function webgpuUnavailableReason(): Promise<string | null> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'no WebGPU adapter is available (GPU blocklisted or disabled)';
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}

async function acquireWebgpu(): Promise<RuntimeDevice> {
  const o = configureOrt();
  const device = await o.env.webgpu.device;
  const info = device.adapterInfo;
  lostReason = null;
  void device.lost.then((l) => {
    lostReason = l.message || l.reason || 'unknown reason';
    webgpu = null;
  });
  return {
    backend: 'webgpu',
    device,
    info: {
      backend: 'webgpu',
      adapter: {
        vendor: info?.vendor ?? '',
        architecture: info?.architecture ?? '',
        device: info?.device ?? '',
        description: info?.description ?? '',
      },
      shaderF16: device.features.has('shader-f16'),
      fallbackReason: null,
    },
  };
}

function wasmDevice(reason: string | null): RuntimeDevice {
  configureOrt();
  return { backend: 'wasm', device: null, info: { backend: 'wasm', adapter: null, shaderF16: false, fallbackReason: reason } };
}

/** Pick the backend for a run: the requested one, or WASM with a stated reason when WebGPU is missing. */
export async function selectDevice(requested: Backend): Promise<RuntimeDevice> {
  if (requested === 'wasm') return wasmDevice('WASM was selected');
  const reason = await webgpuUnavailableReason();
  if (reason) return wasmDevice(reason);
  webgpu ??= acquireWebgpu();
  return webgpu;
}

/** Set when ORT's GPUDevice was lost; cleared when a new device is acquired. */
export function deviceLostReason(): string | null {
  return lostReason;
}
