// fp16 logits on the CPU path (WASM): binary16 bits (Uint16Array) or a Float16Array-style view
// become exact float32 rows for the CPU kernels, converted once per forward pass.
import type * as ort from 'onnxruntime-web/webgpu';
import { describe, expect, it } from 'vitest';
import { f32ToF16Bits } from '../../kernels/reference/f16';
import { Logits } from '../../workers/model/logits';

const fake = (type: string, data: unknown, location = 'cpu'): ort.Tensor => ({ type, data, location, dispose: () => undefined }) as unknown as ort.Tensor;

describe('Logits.cpuData', () => {
  const values = [0, 1, -2.5, 65504, -65504, 2 ** -24, 0.1];

  it('decodes binary16 bits exactly (subnormals and the largest finite values included)', () => {
    const bits = Uint16Array.from(values, f32ToF16Bits);
    const l = new Logits(fake('float16', bits), 1, 1, values.length, values.length);
    const out = l.cpuData()!;
    expect(Array.from(out.subarray(0, 6))).toEqual([0, 1, -2.5, 65504, -65504, 2 ** -24]);
    expect(out[6]).toBeCloseTo(0.0999755859375, 12);
    // Converted once: repeated readouts of one forward pass share the row.
    expect(l.cpuData()).toBe(out);
  });

  it('reads a Float16Array-style view (what Chromium hands out) by value', () => {
    const view = Float64Array.from([1.5, -3, 0.25]);
    const l = new Logits(fake('float16', view), 1, 1, 3, 3);
    expect(Array.from(l.cpuData()!)).toEqual([1.5, -3, 0.25]);
  });

  it('passes float32 through, refuses other types, and is null on the GPU path', () => {
    const f32 = Float32Array.from([1, 2]);
    expect(new Logits(fake('float32', f32), 1, 1, 2, 2).cpuData()).toBe(f32);
    expect(() => new Logits(fake('int32', Int32Array.from([1])), 1, 1, 1, 1).cpuData()).toThrow(/logits of type int32/);
    expect(new Logits(fake('float16', null, 'gpu-buffer'), 1, 1, 2, 2).cpuData()).toBeNull();
  });
});
