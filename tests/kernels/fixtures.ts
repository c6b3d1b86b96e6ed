import type { LogitRowsLayout } from '../../kernels/types';
import { mulberry32 } from '../../workers/rng';

/** Deterministic PRNG (mulberry32) in [0, 1). */
export const rng = mulberry32;

/** Dense rows laid out back to back: layout of `rows` rows of `rowLength` entries. */
export function dense(rows: number, rowLength: number, validVocab = rowLength): LogitRowsLayout {
  return { rows, rowLength, validVocab, offsetElems: 0, rowStrideElems: rowLength };
}

/** Random logits in [-4, 4) quantised to quarters (frequent ties), with a share of -inf. */
export function randomRow(rand: () => number, n: number, maskedShare = 0.1): number[] {
  return Array.from({ length: n }, () => (rand() < maskedShare ? -Infinity : Math.floor(rand() * 32) / 4 - 4));
}
