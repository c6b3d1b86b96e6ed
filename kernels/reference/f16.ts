const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** Exact value of an IEEE binary16 bit pattern (subnormals, ±inf and NaN included). */
export function f16BitsToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Nearest binary16 bit pattern of `x` after rounding it to f32: round-half-even, overflow to ±inf. */
export function f32ToF16Bits(x: number): number {
  scratchF32[0] = x;
  const b = scratchU32[0] ?? 0;
  const sign = (b >>> 16) & 0x8000;
  const exponent = (b >>> 23) & 0xff;
  const mantissa = b & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const e = exponent - 112; // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) return sign | roundShift(mantissa | 0x800000, 14 - e);
  return sign | (((e << 10) | (mantissa >>> 13)) + roundIncrement(mantissa, 13, mantissa >>> 13));
}

/** `value >> shift` rounded half to even (shift >= 1). */
function roundShift(value: number, shift: number): number {
  if (shift > 24) return 0;
  const kept = Math.floor(value / 2 ** shift);
  return kept + roundIncrement(value, shift, kept);
}

function roundIncrement(value: number, shift: number, kept: number): number {
  const rest = value % 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && kept % 2 === 1) ? 1 : 0;
}

/** Converts packed binary16 values to f32, element by element (exact). */
export function f16ArrayToF32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = f16BitsToF32(bits[i] ?? 0);
  return out;
}
