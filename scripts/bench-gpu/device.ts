import { create, globals } from 'webgpu';

// WebGPU in Node through the `webgpu` package (Dawn's dawn.node): one GPU instance for the whole
// run, exposed as navigator.gpu too, so the browser harness modules (harness/*.ts) work unchanged.

/** What the report says about the adapter that ran the benchmark. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** adapter.info.isFallbackAdapter (software adapters such as SwiftShader report true or ''). */
  isFallbackAdapter: boolean | null;
  features: string[];
  /** Flags passed to dawn.node's create(). */
  dawnFlags: string[];
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number; maxComputeInvocationsPerWorkgroup: number };
}

export interface GpuContext {
  gpu: GPU;
  device: GPUDevice;
  adapter: AdapterReport;
  hasTimestamps: boolean;
  /** Uncaptured errors of `device` since the start (checked after every phase). */
  errors: string[];
}

/**
 * Timestamps are quantized by default in Dawn (like in Chrome); the benchmark wants the raw
 * nanoseconds, so the toggle is disabled unless the caller passes its own Dawn flags.
 */
export const DEFAULT_DAWN_FLAGS = ['disable-dawn-features=timestamp_quantization'];

let gpuInstance: GPU | null = null;

/** Creates the dawn.node GPU (once) and installs the WebGPU globals and navigator.gpu. */
export function installWebGpu(dawnFlags: string[]): GPU {
  if (gpuInstance) return gpuInstance;
  Object.assign(globalThis, globals);
  const gpu = create(dawnFlags);
  // navigator.gpu asks for the same adapter as openGpu (the harness modules and ORT call it bare).
  const shared = {
    requestAdapter: (options?: GPURequestAdapterOptions) => gpu.requestAdapter({ powerPreference: 'high-performance', ...options }),
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
    get wgslLanguageFeatures() {
      return gpu.wgslLanguageFeatures;
    },
  } as GPU;
  const holder = globalThis as { navigator?: { gpu?: GPU } };
  if (holder.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: shared }, configurable: true, writable: true });
  } else {
    Object.defineProperty(holder.navigator, 'gpu', { value: shared, configurable: true, writable: true });
  }
  gpuInstance = gpu;
  return gpu;
}

function noAdapterHelp(): string {
  return [
    'no WebGPU adapter: Dawn found no usable Vulkan device.',
    'Check `vulkaninfo --summary`; point the loader at a driver with VK_DRIVER_FILES (or VK_ICD_FILENAMES), e.g.',
    '  VK_DRIVER_FILES=/usr/share/vulkan/icd.d/nvidia_icd.json (NVIDIA)',
    '  VK_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader, CPU)',
    'or pass --dawn backend=null to check the plumbing without a GPU (results are then meaningless).',
  ].join('\n');
}

/** Adapter (high-performance) and a device with 'timestamp-query' when the adapter has it. */
export async function openGpu(dawnFlags: string[]): Promise<GpuContext> {
  const gpu = installWebGpu(dawnFlags);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(noAdapterHelp());
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const hasTimestamps = adapter.features.has('timestamp-query');
  const requiredFeatures: GPUFeatureName[] = hasTimestamps ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({
    label: 'benchGpu.device',
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const errors: string[] = [];
  device.addEventListener('uncapturederror', (e) => errors.push((e as GPUUncapturedErrorEvent).error.message));
  void device.lost.then((l) => {
    if (l.reason !== 'destroyed') errors.push(`device lost: ${l.reason} ${l.message}`);
  });
  return {
    gpu,
    device,
    hasTimestamps,
    errors,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter: typeof info.isFallbackAdapter === 'boolean' ? info.isFallbackAdapter : null,
      features: [...adapter.features].map(String).sort(),
      dawnFlags,
      limits: {
        maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
        maxBufferSize: device.limits.maxBufferSize,
        maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
      },
    },
  };
}

/** One line naming the adapter. */
export function adapterLine(a: AdapterReport): string {
  const parts = [a.vendor, a.architecture, a.device, a.description].filter((s) => s && s.length > 0);
  const fallback = a.isFallbackAdapter ? ' (fallback adapter)' : '';
  return `${parts.join(' / ') || '(no adapter info)'}${fallback}`;
}
