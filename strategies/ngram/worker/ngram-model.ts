/**
 * The style prior of n-gram injection (docs/algorithms.md#n-gram-injection): an interpolated add-k n-gram
 * model (orders 1…3) counted over the style corpus's token ids. Smoothing, order weights and the
 * floor are our interpretation (the paper gives none):
 *   P_n(v | ctx) = (c(ctx, v) + k) / (c(ctx, ·) + k·V), used only when c(ctx, ·) > 0;
 *   P(v | ctx) = Σ_{available n} w_n P_n / Σ_{available n} w_n;  s(v) = max(log P, log P_MIN).
 * Every id the corpus never follows `ctx` with shares one value, so s is one constant (`base`) plus a
 * sparse row over the ids the corpus saw: adding s to the logits equals adding those sparse
 * differences (a constant shift of every logit leaves the softmax unchanged).
 */
import { sortedIndexOf } from '../../../workers/decode/sorted';
import { countPassages, OrderCounts } from './order-counts';

/** Order weights w1, w2, w3 (our interpretation). */
export const ORDER_WEIGHTS = [0.2, 0.3, 0.5] as const;

/** Floor of the style probability (log P_MIN bounds s below). */
export const P_MIN = 1e-8;

/** Highest order supported. */
export const MAX_ORDER = 3;

/** The style prior at one context. */
export interface StyleRow {
  /** s for every id outside `ids` (max(log P_base, log P_MIN)), ≤ 0. */
  base: number;
  /** Ids with their own value, ascending. */
  ids: number[];
  /** s(ids[j]) (≥ base). */
  values: number[];
  /** Orders whose context the corpus holds (1 always; 2 and 3 when seen), ascending. */
  orders: number[];
}

/** An interpolated add-k n-gram model over ids in [0, vocab). */
export class NgramModel {
  private readonly counts: OrderCounts<number>[];
  /** Tokens counted (the order-1 total). */
  readonly tokens: number;

  /**
   * @param sequences corpus passages as token ids (n-grams never cross a passage boundary); ids
   *   outside [0, vocab) and ids in `skip` (special tokens) break the sequence where they stand
   * @param order highest order n in 1…3
   * @param k add-k smoothing, > 0
   */
  constructor(
    sequences: readonly (readonly number[])[],
    readonly vocab: number,
    readonly order: number,
    readonly k: number,
    skip: ReadonlySet<number> = new Set(),
  ) {
    if (!Number.isInteger(vocab) || vocab < 1) throw new RangeError(`vocab must be a positive integer, got ${vocab}`);
    if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) throw new RangeError(`n must be an integer in [1, ${MAX_ORDER}], got ${order}`);
    if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`smoothing must be a finite number > 0, got ${k}`);
    this.counts = Array.from({ length: order }, () => new OrderCounts<number>());
    this.tokens = countPassages(sequences, vocab, skip, 1, this.counts, (ctx) => this.key(ctx));
  }

  /** Context ids (oldest first, at most 2) as one number. The empty context is 0. */
  private key(ctx: readonly number[]): number {
    if (ctx.length === 0) return 0;
    if (ctx.length === 1) return ctx[0]!;
    return ctx[0]! * this.vocab + ctx[1]!;
  }

  /** The style prior after `history` (the last order − 1 ids are the context). */
  row(history: readonly number[]): StyleRow {
    const parts: { w: number; next: Map<number, number>; denom: number; n: number }[] = [];
    for (let n = 1; n <= this.order; n++) {
      if (history.length < n - 1) break;
      const ctx = history.slice(history.length - (n - 1));
      if (ctx.some((id) => !Number.isInteger(id) || id < 0 || id >= this.vocab)) continue;
      const c = this.counts[n - 1]!;
      const key = this.key(ctx);
      const total = c.total.get(key) ?? 0;
      if (total === 0) continue;
      parts.push({ w: ORDER_WEIGHTS[n - 1]!, next: c.next.get(key)!, denom: total + this.k * this.vocab, n });
    }
    const logMin = Math.log(P_MIN);
    if (parts.length === 0) return { base: Math.max(Math.log(1 / this.vocab), logMin), ids: [], values: [], orders: [] };
    const wSum = parts.reduce((s, p) => s + p.w, 0);
    const pBase = parts.reduce((s, p) => s + (p.w * this.k) / p.denom, 0) / wSum;
    const base = Math.max(Math.log(pBase), logMin);
    const seen = new Set<number>();
    for (const p of parts) for (const id of p.next.keys()) seen.add(id);
    const ids = [...seen].sort((a, b) => a - b);
    const values = ids.map((id) => Math.max(Math.log(parts.reduce((s, p) => s + (p.w * ((p.next.get(id) ?? 0) + this.k)) / p.denom, 0) / wSum), logMin));
    return { base, ids, values, orders: parts.map((p) => p.n) };
  }
}

/** s(id) of a row. */
export function styleValue(row: StyleRow, id: number): number {
  const j = sortedIndexOf(row.ids, id);
  return j < 0 ? row.base : row.values[j]!;
}


/** The most likely ids under the style prior, probability descending (ties → lower id). */
export function topStyle(row: StyleRow, n: number): { id: number; p: number }[] {
  return row.ids
    .map((id, j) => ({ id, p: Math.exp(row.values[j]!) }))
    .sort((a, b) => b.p - a.p || a.id - b.id)
    .slice(0, n);
}
