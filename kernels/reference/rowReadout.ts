import type { LogitRowsLayout, RowReadoutOptions, RowReadoutResult } from '../types';
import { normalizeTokenIds, requireExtent, validateK, validateLayout } from '../validate';
import { softmaxStatsCpu } from './softmaxStats';
import { topKCpu } from './topK';

/**
 * CPU twin of RowReadout.read (the WASM fallback and the GPU oracle): softmax statistics and top-k
 * for every row of `data` (flat f32; convert f16 first with f16ArrayToF32). `bytesRead` counts the
 * logit bytes it touched (rows × validVocab × 4). Throws NonFiniteRowError naming the first bad row.
 */
export function readRowsCpu(data: Float32Array, src: LogitRowsLayout, opts: RowReadoutOptions): RowReadoutResult {
  validateLayout(src);
  validateK(opts.k);
  normalizeTokenIds(opts.tokenIds, src);
  requireExtent(src, data.length);
  const stats = softmaxStatsCpu(data, src, opts.tokenIds);
  const tops = topKCpu(data, src, opts.k);
  const rows = stats.map((s, r) => {
    const top = tops[r];
    if (!top) throw new Error(`readRowsCpu: missing top-k for row ${r}`);
    return { ...s, topIds: top.topIds, topLogits: top.topLogits };
  });
  return { rows, bytesRead: src.rows * src.validVocab * Float32Array.BYTES_PER_ELEMENT };
}
