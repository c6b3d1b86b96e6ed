import { requireExtent, normalizeTokenIds, validateLayout } from '../validate';
import { NO_TOKEN } from '../limits';
import type { LogitRowsLayout, RowStats } from '../types';
import { finiteMax, rowSpan, type RowSpan } from './rowScan';

/**
 * CPU reference of softmaxStats, in f64: per row max, log-sum-exp, entropy (nats) over finite
 * entries below validVocab, and the logit / probability of `tokenIds[r]` (null = none).
 * `data` is the flat f32 element array the layout indexes. Throws NonFiniteRowError naming the row.
 */
export function softmaxStatsCpu(data: Float32Array, layout: LogitRowsLayout, tokenIds?: readonly (number | null)[]): RowStats[] {
  validateLayout(layout);
  requireExtent(layout, data.length);
  const ids = normalizeTokenIds(tokenIds, layout);
  const out: RowStats[] = [];
  for (let r = 0; r < layout.rows; r++) {
    out.push(rowStats(data, rowSpan(layout, r), r, ids[r] ?? NO_TOKEN));
  }
  return out;
}

function rowStats(data: Float32Array, span: RowSpan, row: number, tokenId: number): RowStats {
  const max = finiteMax(data, span, row);
  // Shifted sums: s = Σ e^(z−max), t = Σ e^(z−max)(z−max); H = log s − t/s avoids LSE − E[z] cancellation.
  let s = 0;
  let t = 0;
  for (let i = span.start; i < span.start + span.count; i++) {
    const z = data[i] ?? -Infinity;
    if (z === -Infinity) continue;
    const d = z - max;
    const e = Math.exp(d);
    s += e;
    t += e * d;
  }
  const logS = Math.log(s);
  const lse = max + logS;
  const entropy = Math.max(0, logS - t / s);
  if (tokenId === NO_TOKEN) return { max, lse, entropy, tokenLogit: null, tokenProb: null };
  const z = tokenId < span.count ? (data[span.start + tokenId] ?? -Infinity) : -Infinity;
  const tokenProb = z === -Infinity ? 0 : Math.exp(z - lse);
  return { max, lse, entropy, tokenLogit: z, tokenProb };
}
