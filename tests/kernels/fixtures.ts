import type { LogitRowsLayout } from '../../kernels/types';

/** Deterministic PRNG (mulberry32) in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dense rows laid out back to back: layout of `rows` rows of `rowLength` entries. */
export function dense(rows: number, rowLength: number, validVocab = rowLength): LogitRowsLayout {
  return { rows, rowLength, validVocab, offsetElems: 0, rowStrideElems: rowLength };
}

/** Random logits in [-4, 4) quantised to quarters (frequent ties), with a share of -inf. */
export function randomRow(rand: () => number, n: number, maskedShare = 0.1): number[] {
  return Array.from({ length: n }, () => (rand() < maskedShare ? -Infinity : Math.floor(rand() * 32) / 4 - 4));
}
