import type * as ort from 'onnxruntime-web/webgpu';
import type { GpuStats } from '../../protocol';

/**
 * Live GPU buffers the worker holds: buffers we create (kernel scratch, KV-cache copies) and ORT
 * output tensors we keep (logits, present.*, last_hidden_state). Each entry leaves the ledger when
 * its buffer is destroyed or its tensor disposed, so after a run the figures return to where they
 * were: the leak test compares them across 50 runs (window.logitscope.gpuStats()).
 */
export class GpuLedger {
  private readonly live = new Map<object, number>();
  private allocations = 0;

  /** Current figures: live buffer count, their bytes, and how many were ever tracked. */
  stats(): Omit<GpuStats, 'submits' | 'ourSubmits'> {
    let bytes = 0;
    for (const size of this.live.values()) bytes += size;
    return { buffers: this.live.size, bytes, allocations: this.allocations };
  }

  /** Track a buffer we created; it leaves the ledger on `destroy()` (decorated on this instance only). */
  trackBuffer(buffer: GPUBuffer): GPUBuffer {
    this.add(buffer, buffer.size);
    const destroy = buffer.destroy.bind(buffer);
    Object.defineProperty(buffer, 'destroy', {
      configurable: true,
      value: () => {
        this.live.delete(buffer);
        destroy();
      },
    });
    return buffer;
  }

  /**
   * Track an ORT output tensor held on the GPU (a no-op for CPU tensors); it leaves the ledger on
   * `dispose()`, which hands the buffer back to ORT's pool.
   */
  trackTensor<T extends ort.Tensor>(tensor: T): T {
    if (tensor.location !== 'gpu-buffer') return tensor;
    const buffer = tensor.gpuBuffer as GPUBuffer;
    this.add(tensor, buffer.size);
    const dispose = tensor.dispose.bind(tensor);
    Object.defineProperty(tensor, 'dispose', {
      configurable: true,
      value: () => {
        this.live.delete(tensor);
        dispose();
      },
    });
    return tensor;
  }

  /** Forget everything (the device is gone; its buffers went with it). */
  reset(): void {
    this.live.clear();
  }

  private add(key: object, bytes: number): void {
    if (this.live.has(key)) return;
    this.live.set(key, bytes);
    this.allocations++;
  }
}

/** The worker's one ledger. */
export const gpuLedger = new GpuLedger();

const tracked = new WeakMap<GPUDevice, GPUDevice>();

/**
 * A view of `device` whose `createBuffer` records every buffer in `ledger`; everything else goes to
 * the real device (methods bound to it, so WebGPU's brand checks pass). One view per device, so
 * per-device caches (pipelines, engines) keyed by it stay shared across runs.
 */
export function trackingDevice(device: GPUDevice, ledger: GpuLedger = gpuLedger): GPUDevice {
  const known = tracked.get(device);
  if (known) return known;
  const createBuffer = (desc: GPUBufferDescriptor) => ledger.trackBuffer(device.createBuffer(desc));
  const view = new Proxy(device, {
    get(target, prop) {
      if (prop === 'createBuffer') return createBuffer;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    // Setters (onuncapturederror, label) must run on the real device too.
    set(target, prop, value) {
      return Reflect.set(target, prop, value);
    },
  });
  tracked.set(device, view);
  return view;
}
