/**
 * Superposed decoding's n-gram model (docs/algorithms.md#superposed), as released (RAIVNLab/
 * SuperposedDecoding `superposed/ngrams/ngram_models.py`, `superpose.py`): maximum-likelihood
 * n-grams of orders 2…6 counted over a corpus's token ids, interpolated with fixed weights over the
 * orders whose context fits the history and that the corpus holds:
 *   g(v | h) = Σ_n w_n · c(h_{−(n−1):}, v) / c(h_{−(n−1):}, ·)   (orders with c(ctx, ·) > 0)
 * No smoothing: g is 0 for a token no order saw after its context.
 */

import { countPassages, OrderCounts } from '../../ngram/worker/order-counts';

/** Interpolation weights of orders 2…6 as released (params/p15_d3_mixed.json). */
export const ORDER_WEIGHTS = [0.01, 0.04, 0.15, 0.18, 0.12] as const;

/** Lowest and highest n-gram order. */
export const MIN_ORDER = 2;
export const MAX_ORDER = 6;

/** What g(v | h) was made of: the value and the orders that contributed a context. */
export interface NgramSupport {
  g: number;
  /** Orders n after whose context the corpus saw v (ascending). */
  orders: number[];
}

/** Interpolated MLE n-grams of orders 2…6 over ids in [0, vocab). */
export class SuperposedNgram {
  private readonly counts: OrderCounts<string>[];
  /** Tokens counted. */
  readonly tokens: number;

  /**
   * @param sequences corpus passages as token ids (n-grams never cross a passage boundary); ids outside
   *   [0, vocab) and ids in `skip` (special tokens) break the sequence where they stand
   * @param weights interpolation weights of orders 2…6 (ORDER_WEIGHTS)
   */
  constructor(
    sequences: readonly (readonly number[])[],
    readonly vocab: number,
    readonly weights: readonly number[] = ORDER_WEIGHTS,
    skip: ReadonlySet<number> = new Set(),
  ) {
    if (!Number.isInteger(vocab) || vocab < 1) throw new RangeError(`vocab must be a positive integer, got ${vocab}`);
    if (weights.length !== MAX_ORDER - MIN_ORDER + 1 || weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new RangeError(`weights must be ${MAX_ORDER - MIN_ORDER + 1} finite numbers ≥ 0`);
    this.counts = Array.from({ length: MAX_ORDER - MIN_ORDER + 1 }, () => new OrderCounts<string>());
    this.tokens = countPassages(sequences, vocab, skip, MIN_ORDER, this.counts, (ctx) => ctx.join(','));
  }

  /** g(v | history) for each of `ids` (one context lookup per order). */
  support(history: readonly number[], ids: readonly number[]): NgramSupport[] {
    const parts: { w: number; next: Map<number, number>; total: number; n: number }[] = [];
    for (let n = MIN_ORDER; n <= MAX_ORDER; n++) {
      if (history.length < n - 1) break;
      const key = history.slice(history.length - (n - 1)).join(',');
      const c = this.counts[n - MIN_ORDER]!;
      const total = c.total.get(key) ?? 0;
      if (total > 0) parts.push({ w: this.weights[n - MIN_ORDER]!, next: c.next.get(key)!, total, n });
    }
    return ids.map((v) => {
      let g = 0;
      const orders: number[] = [];
      for (const p of parts) {
        const c = p.next.get(v) ?? 0;
        if (c === 0) continue;
        g += (p.w * c) / p.total;
        orders.push(p.n);
      }
      return { g, orders };
    });
  }
}
