/**
 * ADED's count tables (Liu, Lei, Zhang, Xu, AAAI 2025, https://arxiv.org/abs/2407.12021; chain form,
 * docs/algorithms.md#aded): tri-gram rows T[(a, b)] → counts of the next id c, and bigram rows
 * B[b] → counts of c, over the prompt and the committed tokens only (never a rejected draft).
 */

/** Entries of a row shown in an annotation (its largest counts). */
export const SHOWN_ENTRIES = 8;

type Row = Map<number, number>;

/** The largest-count id of a row, ties to the lower id (undefined for an empty row). */
export function argmaxCount(row: ReadonlyMap<number, number>): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (const [id, c] of row) {
    if (c > bestCount || (c === bestCount && best !== undefined && id < best)) {
      best = id;
      bestCount = c;
    }
  }
  return bestCount > 0 ? best : undefined;
}

/** A row's top entries by count (ties to the lower id). */
export function topEntries(row: ReadonlyMap<number, number>, n = SHOWN_ENTRIES): { id: number; count: number }[] {
  return [...row.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, n)
    .map(([id, count]) => ({ id, count }));
}

/** One draft's source row: the tri-gram row (context [a, b]) or the bigram fallback (context [b]). */
export interface SourceRow {
  order: 2 | 3;
  context: number[];
  row: ReadonlyMap<number, number>;
}

/** The tables; `sync(ids)` counts the n-grams of ids not counted yet (the committed text grows only). */
export class NgramTables {
  private readonly tri = new Map<string, Row>();
  private readonly bi = new Map<number, Row>();
  /** Ids counted so far (a prefix of the committed ids). */
  private counted: number[] = [];

  /** Distinct tri-gram contexts. */
  get trigrams(): number {
    return this.tri.size;
  }

  /** Distinct bigram contexts. */
  get bigrams(): number {
    return this.bi.size;
  }

  /** Count every tri-gram and bigram ending at ids[counted.length ..]; `ids` must extend what was counted. */
  sync(ids: readonly number[]): void {
    const from = this.counted.length;
    for (let i = 0; i < from; i++) {
      if (ids[i] !== this.counted[i]) throw new Error(`committed ids changed at position ${i}: ADED counts committed text only`);
    }
    for (let j = Math.max(1, from); j < ids.length; j++) {
      const c = ids[j]!;
      bump(this.bi, ids[j - 1]!, c);
      if (j >= 2) bump(this.tri, key(ids[j - 2]!, ids[j - 1]!), c);
    }
    this.counted = ids.slice();
  }

  /** T[(a, b)] (undefined when never seen). */
  trigramRow(a: number, b: number): ReadonlyMap<number, number> | undefined {
    return this.tri.get(key(a, b));
  }

  /** B[b] (undefined when never seen). */
  bigramRow(b: number): ReadonlyMap<number, number> | undefined {
    return this.bi.get(b);
  }

  /** The row a draft after (a, b) comes from: T[(a, b)] if it has mass, else B[b], else null (a = null: one id of context). */
  source(a: number | null, b: number): SourceRow | null {
    const t = a === null ? undefined : this.tri.get(key(a, b));
    if (t && mass(t) >= 1) return { order: 3, context: [a!, b], row: t };
    const bRow = this.bi.get(b);
    if (bRow && mass(bRow) >= 1) return { order: 2, context: [b], row: bRow };
    return null;
  }

  /**
   * The chain after `ids` (their last two): d_i = argmax of the row of (a, b), then (a, b) ← (b, d_i);
   * stops at an empty row, after L drafts, or after an EOS draft.
   */
  chain(ids: readonly number[], L: number, eosIds: readonly number[]): { d: number[]; rows: SourceRow[] } {
    const d: number[] = [];
    const rows: SourceRow[] = [];
    if (ids.length === 0) return { d, rows };
    let a: number | null = ids.length >= 2 ? ids[ids.length - 2]! : null;
    let b = ids[ids.length - 1]!;
    for (let i = 0; i < L; i++) {
      const src = this.source(a, b);
      if (!src) break;
      const next = argmaxCount(src.row)!;
      rows.push(src);
      d.push(next);
      if (eosIds.includes(next)) break;
      a = b;
      b = next;
    }
    return { d, rows };
  }
}

function key(a: number, b: number): string {
  return `${a},${b}`;
}

function bump<K>(m: Map<K, Row>, k: K, c: number): void {
  let row = m.get(k);
  if (!row) m.set(k, (row = new Map()));
  row.set(c, (row.get(c) ?? 0) + 1);
}

function mass(row: ReadonlyMap<number, number>): number {
  let s = 0;
  for (const c of row.values()) s += c;
  return s;
}
