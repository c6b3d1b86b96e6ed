import { requireExtent, validateK, validateLayout } from '../validate';
import type { LogitRowsLayout, RowTopK } from '../types';
import { finiteMax, rowSpan, type RowSpan } from './rowScan';

/**
 * CPU reference of topK: per row the min(k, finite count) largest finite logits below validVocab,
 * sorted descending, ties towards the lower id. Throws NonFiniteRowError naming the row.
 */
export function topKCpu(data: Float32Array, layout: LogitRowsLayout, k: number): RowTopK[] {
  validateLayout(layout);
  validateK(k);
  requireExtent(layout, data.length);
  const out: RowTopK[] = [];
  for (let r = 0; r < layout.rows; r++) out.push(rowTopK(data, rowSpan(layout, r), r, k));
  return out;
}

function rowTopK(data: Float32Array, span: RowSpan, row: number, k: number): RowTopK {
  finiteMax(data, span, row);
  const topIds: number[] = [];
  const topLogits: number[] = [];
  // Ids are visited in ascending order, so an equal logit never displaces an earlier (lower) id.
  for (let id = 0; id < span.count; id++) {
    const z = data[span.start + id] ?? -Infinity;
    if (z === -Infinity) continue;
    if (topIds.length === k && !(z > (topLogits[k - 1] ?? -Infinity))) continue;
    let pos = Math.min(topIds.length, k - 1);
    while (pos > 0 && z > (topLogits[pos - 1] ?? Infinity)) pos--;
    if (topIds.length === k) {
      topIds.pop();
      topLogits.pop();
    }
    topIds.splice(pos, 0, id);
    topLogits.splice(pos, 0, z);
  }
  return { topIds, topLogits };
}
