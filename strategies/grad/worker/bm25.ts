/**
 * Okapi BM25 ranking of passages for a query (Robertson & Zaragoza, "The Probabilistic Relevance
 * Framework: BM25 and Beyond", 2009), in plain TypeScript: GRAD's retriever.
 */

/** BM25 free parameters: term-frequency saturation k1 ≥ 0 and length normalisation b ∈ [0, 1]. */
export interface Bm25Params {
  k1: number;
  b: number;
}

/** The usual defaults (Lucene, Elasticsearch). */
export const BM25_DEFAULTS: Bm25Params = { k1: 1.2, b: 0.75 };

/** One retrieved passage: its index in the pool and its BM25 score (> 0). */
export interface Bm25Hit {
  index: number;
  score: number;
}

/** Lower-cased runs of letters and digits (Unicode-aware): the terms BM25 counts. */
export function terms(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A BM25 index over a fixed list of passages. */
export class Bm25Index {
  private readonly tf: Map<string, number>[];
  private readonly lengths: number[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(
    passages: readonly string[],
    private readonly params: Bm25Params = BM25_DEFAULTS,
  ) {
    if (!(params.k1 >= 0) || !(params.b >= 0 && params.b <= 1)) {
      throw new RangeError(`BM25 needs k1 ≥ 0 and b in [0, 1], got k1 ${params.k1}, b ${params.b}`);
    }
    this.tf = passages.map((p) => {
      const counts = new Map<string, number>();
      for (const t of terms(p)) counts.set(t, (counts.get(t) ?? 0) + 1);
      return counts;
    });
    this.lengths = passages.map((p) => terms(p).length);
    for (const counts of this.tf) for (const t of counts.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    const total = this.lengths.reduce((s, n) => s + n, 0);
    this.avgLength = passages.length > 0 ? total / passages.length : 0;
  }

  /** Inverse document frequency, the non-negative form ln(1 + (N − n + 0.5) / (n + 0.5)). */
  idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    const N = this.tf.length;
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  }

  /** BM25 score of every passage for `query` (query terms counted once each, as in Okapi). */
  scores(query: string): number[] {
    const q = [...new Set(terms(query))];
    const { k1, b } = this.params;
    return this.tf.map((counts, i) => {
      const len = this.lengths[i] ?? 0;
      const norm = this.avgLength > 0 ? 1 - b + (b * len) / this.avgLength : 1;
      let s = 0;
      for (const t of q) {
        const f = counts.get(t) ?? 0;
        if (f > 0) s += (this.idf(t) * f * (k1 + 1)) / (f + k1 * norm);
      }
      return s;
    });
  }

  /**
   * The `n` best passages for `query`: score descending, ties to the lower index. Passages sharing
   * no term with the query (score 0) are never returned, so an unrelated query retrieves nothing.
   */
  top(query: string, n: number): Bm25Hit[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
    return this.scores(query)
      .map((score, index) => ({ index, score }))
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, n);
  }
}
