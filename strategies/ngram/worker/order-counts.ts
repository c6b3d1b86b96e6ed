/**
 * n-gram counts over a corpus's token ids, shared by n-gram injection's style prior (./ngram-model.ts)
 * and superposed decoding's n-gram model (../../superposed/worker/ngram.ts).
 */

/** Counts of one order: context key → (next id → count) and the context's total. */
export class OrderCounts<K> {
  readonly next = new Map<K, Map<number, number>>();
  readonly total = new Map<K, number>();

  add(ctx: K, v: number): void {
    let m = this.next.get(ctx);
    if (!m) this.next.set(ctx, (m = new Map()));
    m.set(v, (m.get(v) ?? 0) + 1);
    this.total.set(ctx, (this.total.get(ctx) ?? 0) + 1);
  }
}

/**
 * Count the n-grams of orders `lowest` … `lowest + counts.length − 1` over corpus passages into
 * `counts[n − lowest]`, each keyed by `key(context ids, oldest first)`. n-grams never cross a passage
 * boundary; ids outside [0, vocab) and ids in `skip` (special tokens) break the passage where they
 * stand. Returns the tokens counted.
 */
export function countPassages<K>(
  sequences: readonly (readonly number[])[],
  vocab: number,
  skip: ReadonlySet<number>,
  lowest: number,
  counts: readonly OrderCounts<K>[],
  key: (ctx: number[]) => K,
): number {
  const highest = lowest + counts.length - 1;
  let tokens = 0;
  for (const seq of sequences) {
    let run: number[] = [];
    for (const id of seq) {
      if (!Number.isInteger(id) || id < 0 || id >= vocab || skip.has(id)) {
        run = [];
        continue;
      }
      run.push(id);
      tokens++;
      for (let n = lowest; n <= highest && n <= run.length; n++) counts[n - lowest]!.add(key(run.slice(run.length - n, run.length - 1)), id);
    }
  }
  return tokens;
}
