// Seeded, platform-independent randomness for the built-in test models. Only 32-bit integer
// arithmetic and exact float steps are used, so every JS engine produces the same bits.
import { Rng } from '../../workers/rng';

/** FNV-1a hash of a string mixed with a 32-bit seed; returns an unsigned 32-bit integer. */
export function hashSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A mulberry32 stream; `next()` returns a uniform float64 in [0, 1) with 32 bits of entropy (workers/rng.ts). */
export const Prng = Rng;

/**
 * Fills `count` float32 values uniform in [mean - a, mean + a] with a = std·√3, so the standard
 * deviation is `std`. The stream is keyed by `(seed, name)`, so a longer tensor with the same name
 * starts with exactly the values of a shorter one (used to share rows between models).
 */
export function uniformTensor(seed: number, name: string, count: number, std: number, mean = 0): Float32Array {
  const rng = new Prng(hashSeed(seed, name));
  const out = new Float32Array(count);
  const a = std * Math.sqrt(3);
  for (let i = 0; i < count; i++) out[i] = mean + (rng.next() * 2 - 1) * a;
  return out;
}
