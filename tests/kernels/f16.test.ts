import { describe, expect, it } from 'vitest';
import { f16ArrayToF32, f16BitsToF32, f32ToF16Bits } from '../../kernels/reference/f16';

describe('f16BitsToF32', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x8001, -(2 ** -24)],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('decodes bits %i exactly', (bits, value) => {
    expect(f16BitsToF32(bits)).toBe(value);
  });

  it('keeps the sign of zero and decodes NaN patterns as NaN', () => {
    expect(Object.is(f16BitsToF32(0x8000), -0)).toBe(true);
    expect(Object.is(f16BitsToF32(0x0000), 0)).toBe(true);
    expect(f16BitsToF32(0x7e00)).toBeNaN();
    expect(f16BitsToF32(0xfc01)).toBeNaN();
  });
});

describe('f32ToF16Bits', () => {
  it('round-trips every non-NaN binary16 pattern', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = f16BitsToF32(bits);
      if (Number.isNaN(value)) expect(Number.isNaN(f16BitsToF32(f32ToF16Bits(value)))).toBe(true);
      else expect(f32ToF16Bits(value)).toBe(bits);
    }
  });

  it('rounds half to even, in normal and subnormal ranges', () => {
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(f32ToF16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(f32ToF16Bits(2 ** -25)).toBe(0x0000);
    expect(f32ToF16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(f32ToF16Bits(2 ** -26)).toBe(0x0000);
    expect(f32ToF16Bits(-(2 ** -30))).toBe(0x8000);
  });

  it('overflows to infinity past the largest finite half', () => {
    expect(f32ToF16Bits(65519)).toBe(0x7bff);
    expect(f32ToF16Bits(65520)).toBe(0x7c00);
    expect(f32ToF16Bits(-1e9)).toBe(0xfc00);
    expect(f32ToF16Bits(-Infinity)).toBe(0xfc00);
  });
});

describe('f16ArrayToF32', () => {
  it('converts element by element', () => {
    expect(Array.from(f16ArrayToF32(Uint16Array.from([0x3c00, 0xfc00, 0x0001])))).toEqual([1, -Infinity, 2 ** -24]);
  });
});
