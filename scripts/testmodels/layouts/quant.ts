// Weight encodings real exporters use: 4-bit block quantization as onnxruntime's MatMulNBits reads
// it, and float16. Each returns the bytes to store and the values a reference forward must use.
import { f16BitsToF32, f32ToF16Bits } from '../../../kernels/reference/f16';

/** Block size of the 4-bit weights (onnxruntime-genai's default). */
export const BLOCK = 32;

/** A [K, N] matrix (MatMul right operand, row-major) as MatMulNBits B/scales plus its dequantized values. */
export interface Int4Matrix {
  /** uint8 [N, K/BLOCK, BLOCK/2]: column n's block b holds rows b·32…b·32+31, two per byte, low nibble first. */
  packed: Uint8Array;
  /** One scale per column and block, [N · K/BLOCK] (the zero point is the default 8). */
  scales: Float32Array;
  /** (q − 8) · scale as float32, [K, N] row-major: what the graph computes with. */
  dequantized: Float32Array;
}

/**
 * Symmetric 4-bit quantization of `w` [k, n] per column block of 32 rows; k must be a multiple of 32.
 * `round` rounds a scale to the precision it is stored in (float32, or float16 via `roundF16`).
 */
export function quantizeInt4(w: Float32Array, k: number, n: number, round: (x: number) => number = Math.fround): Int4Matrix {
  if (k % BLOCK !== 0 || w.length !== k * n) throw new Error(`quantizeInt4 needs K a multiple of ${BLOCK} and ${k}×${n} values, got K=${k}, ${w.length} values`);
  const blocks = k / BLOCK;
  const packed = new Uint8Array(n * blocks * (BLOCK / 2));
  const scales = new Float32Array(n * blocks);
  const dequantized = new Float32Array(k * n);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      let amax = 0;
      for (let r = 0; r < BLOCK; r++) amax = Math.max(amax, Math.abs(w[(b * BLOCK + r) * n + col]!));
      const scale = round(amax / 7 || 1);
      scales[col * blocks + b] = scale;
      for (let r = 0; r < BLOCK; r++) {
        const row = b * BLOCK + r;
        const q = Math.max(0, Math.min(15, Math.round(w[row * n + col]! / scale) + 8));
        const byte = (col * blocks + b) * (BLOCK / 2) + (r >> 1);
        packed[byte]! |= r % 2 === 0 ? q : q << 4;
        dequantized[row * n + col] = Math.fround((q - 8) * scale);
      }
    }
  }
  return { packed, scales, dequantized };
}

/** `x` rounded to the nearest float16 value. */
export function roundF16(x: number): number {
  return f16BitsToF32(f32ToF16Bits(x));
}

/** float16 bytes (little-endian) of `x`, and the float32 values they hold. */
export function toF16(x: Float32Array): { bytes: Uint8Array; values: Float32Array } {
  const bytes = new Uint8Array(x.length * 2);
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(x.length);
  x.forEach((v, i) => {
    const bits = f32ToF16Bits(v);
    view.setUint16(i * 2, bits, true);
    values[i] = f16BitsToF32(bits);
  });
  return { bytes, values };
}
