import { NonFiniteRowError } from '../errors';
import type { LogitRowsLayout } from '../types';

/** Entries [start, start + count) of `data` holding one row's valid logits. */
export interface RowSpan {
  start: number;
  count: number;
}

/** Span of row r's valid entries (indices < validVocab) inside the flat data. */
export function rowSpan(layout: LogitRowsLayout, r: number): RowSpan {
  return { start: layout.offsetElems + r * layout.rowStrideElems, count: layout.validVocab };
}

/**
 * Largest finite logit of a row; throws NonFiniteRowError when the row holds NaN or +inf (checked
 * first) or has no finite entry. -inf entries are masked tokens and are skipped.
 */
export function finiteMax(data: Float32Array, span: RowSpan, row: number): number {
  let max = -Infinity;
  let finite = 0;
  let bad = 0;
  for (let i = span.start; i < span.start + span.count; i++) {
    const z = data[i] ?? NaN;
    if (Number.isFinite(z)) {
      finite++;
      if (z > max) max = z;
    } else if (z !== -Infinity) {
      bad++;
    }
  }
  if (bad > 0) throw new NonFiniteRowError(row, 'nan-or-inf', `${bad} such entries`);
  if (finite === 0) {
    throw new NonFiniteRowError(row, 'no-finite', `all ${span.count} valid entries are -inf`);
  }
  return max;
}
