/**
 * GRAD's token transition graph (Nguyen et al., "GRAD: Graph-Retrieved Adaptive Decoding",
 * arXiv 2511.03900): nodes are vocabulary ids, E(u → v) ≥ 0 accumulates the model's confidence that
 * v follows u over the retrieved corpus. Sparse: only observed bigrams have an entry.
 */

/** A max-normalised graph row g(u, ·): successor ids ascending and their weights in (0, 1]. */
export interface GraphRow {
  ids: number[];
  values: number[];
}

/** One successor of a graph row, for the popover. */
export interface Successor {
  id: number;
  /** Max-normalised weight in (0, 1]. */
  weight: number;
}

/** Sparse map u → (v → E(u, v)), with only positive weights stored. */
export class TransitionGraph {
  private readonly rows = new Map<number, Map<number, number>>();

  /** E(u, v) += w. Non-positive increments add nothing (E ≥ 0 and only evidence makes an edge). */
  add(u: number, v: number, w: number): void {
    if (!Number.isInteger(u) || u < 0 || !Number.isInteger(v) || v < 0) throw new RangeError(`edge ids must be non-negative integers, got ${u} → ${v}`);
    if (Number.isNaN(w)) throw new RangeError(`edge weight must be a number, got NaN for ${u} → ${v}`);
    if (!(w > 0)) return;
    let row = this.rows.get(u);
    if (!row) this.rows.set(u, (row = new Map()));
    row.set(v, (row.get(v) ?? 0) + w);
  }

  /** Raw accumulated weight E(u, v) (0 when there is no edge). */
  weight(u: number, v: number): number {
    return this.rows.get(u)?.get(v) ?? 0;
  }

  /** Number of source ids with at least one edge. */
  get sourceCount(): number {
    return this.rows.size;
  }

  /** Number of edges (distinct observed bigrams with positive weight). */
  get edgeCount(): number {
    let n = 0;
    for (const r of this.rows.values()) n += r.size;
    return n;
  }

  /** Every edge as [u, v, E(u, v)], sources then targets ascending. */
  edges(): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (const u of [...this.rows.keys()].sort((a, b) => a - b)) {
      const row = this.rows.get(u)!;
      for (const v of [...row.keys()].sort((a, b) => a - b)) out.push([u, v, row.get(v)!]);
    }
    return out;
  }

  /** g(u, ·) = E(u, ·) / max_w E(u, w): successor ids ascending with weights in (0, 1]; null without a row. */
  normalizedRow(u: number): GraphRow | null {
    const row = this.rows.get(u);
    if (!row || row.size === 0) return null;
    let max = 0;
    for (const w of row.values()) max = Math.max(max, w);
    const ids = [...row.keys()].sort((a, b) => a - b);
    return { ids, values: ids.map((v) => row.get(v)! / max) };
  }

  /** The `n` strongest successors of u: weight descending, ties to the lower id. */
  topSuccessors(u: number, n: number): Successor[] {
    const g = this.normalizedRow(u);
    if (!g) return [];
    return g.ids
      .map((id, i) => ({ id, weight: g.values[i]! }))
      .sort((a, b) => b.weight - a.weight || a.id - b.id)
      .slice(0, n);
  }
}
