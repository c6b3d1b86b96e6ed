import { describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-web/webgpu';
import { GpuLedger, trackingDevice } from '../../workers/runtime/gpu-ledger';

/** A stand-in GPUBuffer: `destroy` counts calls. */
function fakeBuffer(size: number) {
  return { size, destroyed: 0, destroy() { this.destroyed++; } };
}

/** A stand-in GPUDevice whose methods insist on being called on the device itself (like WebGPU's brand checks). */
class FakeDevice {
  created = 0;
  label = '';
  createBuffer(desc: { size: number }) {
    if (!(this instanceof FakeDevice)) throw new TypeError('Illegal invocation');
    this.created++;
    return fakeBuffer(desc.size);
  }
  createCommandEncoder() {
    if (!(this instanceof FakeDevice)) throw new TypeError('Illegal invocation');
    return 'encoder';
  }
}

describe('GPU ledger', () => {
  it('counts live buffers and bytes until destroy, and only once per buffer', () => {
    const ledger = new GpuLedger();
    const a = fakeBuffer(256) as unknown as GPUBuffer;
    const b = fakeBuffer(1024) as unknown as GPUBuffer;
    ledger.trackBuffer(a);
    ledger.trackBuffer(b);
    expect(ledger.stats()).toEqual({ buffers: 2, bytes: 1280, allocations: 2 });
    a.destroy();
    expect(ledger.stats()).toMatchObject({ buffers: 1, bytes: 1024 });
    expect((a as unknown as { destroyed: number }).destroyed).toBe(1);
    a.destroy();
    expect(ledger.stats()).toMatchObject({ buffers: 1, bytes: 1024, allocations: 2 });
  });

  it('counts GPU tensors until dispose and ignores CPU tensors', () => {
    const ledger = new GpuLedger();
    let disposed = 0;
    const gpu = { location: 'gpu-buffer', gpuBuffer: fakeBuffer(4096), dispose: () => disposed++ } as unknown as ort.Tensor;
    const cpu = { location: 'cpu', dispose: () => disposed++ } as unknown as ort.Tensor;
    ledger.trackTensor(gpu);
    ledger.trackTensor(cpu);
    expect(ledger.stats()).toEqual({ buffers: 1, bytes: 4096, allocations: 1 });
    gpu.dispose();
    cpu.dispose();
    expect(ledger.stats()).toMatchObject({ buffers: 0, bytes: 0 });
    expect(disposed).toBe(2);
  });

  it('the tracking device records createBuffer and passes everything else to the real device', () => {
    const ledger = new GpuLedger();
    const real = new FakeDevice();
    const view = trackingDevice(real as unknown as GPUDevice, ledger);
    expect(trackingDevice(real as unknown as GPUDevice, ledger)).toBe(view);
    const buf = view.createBuffer({ size: 64, usage: 0 });
    expect(real.created).toBe(1);
    expect(ledger.stats().buffers).toBe(1);
    expect((view as unknown as FakeDevice).createCommandEncoder()).toBe('encoder');
    (view as unknown as { label: string }).label = 'renamed';
    expect(real.label).toBe('renamed');
    buf.destroy();
    expect(ledger.stats().buffers).toBe(0);
  });
});
