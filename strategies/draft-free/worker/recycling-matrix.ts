import type { RecycledRow } from '../../speculative/annotations';

/**
 * Token Recycling's adjacency matrix (Luo et al., ACL 2025, https://arxiv.org/abs/2408.08696;
 * docs/algorithms.md#token-recycling): A ∈ int32^{V×8}, row u = the top-8 ids (logit descending,
 * ties to the lower id) of the RAW target logits at the last position where u was the input.
 */

/** Successors kept per row (the paper's k = 8). */
export const RECYCLE_WIDTH = 8;

/**
 * The initial row every unwritten row holds (our interpretation): the prompt's 8 most frequent ids
 * (count descending, ties to the lower id), filled up with the lowest ids not already in it.
 */
export function unigramRow(prompt: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const id of prompt) counts.set(id, (counts.get(id) ?? 0) + 1);
  const row = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, RECYCLE_WIDTH)
    .map(([id]) => id);
  for (let id = 0; row.length < RECYCLE_WIDTH; id++) if (!row.includes(id)) row.push(id);
  return row;
}

/**
 * The matrix. Its size (the vocabulary) is learnt from the first target forward (`logits.validVocab`),
 * so until then every row is the initial row.
 */
export class RecyclingMatrix {
  private data: Int32Array | null = null;
  private everWritten: Uint8Array | null = null;
  /** Rows written at least once. */
  written = 0;
  /** Writes done (a row written twice counts twice). */
  writes = 0;

  constructor(private readonly initial: readonly number[]) {
    if (initial.length !== RECYCLE_WIDTH) throw new RangeError(`the initial row needs ${RECYCLE_WIDTH} ids, got ${initial.length}`);
  }

  /** Rows of A (the vocabulary), null before the first forward sized it. */
  get vocab(): number | null {
    return this.everWritten ? this.everWritten.length : null;
  }

  /** Size the matrix for `vocab` ids (the first call wins; later calls must agree). */
  size(vocab: number): void {
    if (!Number.isInteger(vocab) || vocab < 1) throw new RangeError(`vocab must be a positive integer, got ${vocab}`);
    if (this.data) {
      if (vocab !== this.vocab) throw new RangeError(`the matrix has ${this.vocab} rows, a forward reported ${vocab} ids`);
      return;
    }
    // Initial ids outside the vocabulary (a tiny vocabulary) become 0: a row never holds an id ≥ vocab.
    const init = this.initial.map((id) => (id < vocab ? id : 0));
    this.data = new Int32Array(vocab * RECYCLE_WIDTH);
    for (let u = 0; u < vocab; u++) this.data.set(init, u * RECYCLE_WIDTH);
    this.everWritten = new Uint8Array(vocab);
  }

  /** A[u]: its successors, best first (the initial row until a forward wrote it). */
  row(u: number): number[] {
    if (!this.data || u < 0 || u >= this.vocab!) return [...this.initial];
    const at = u * RECYCLE_WIDTH;
    return Array.from(this.data.subarray(at, at + RECYCLE_WIDTH));
  }

  /** Whether a forward ever wrote A[u]. */
  isWritten(u: number): boolean {
    return this.everWritten !== null && u >= 0 && u < this.everWritten.length && this.everWritten[u] === 1;
  }

  /**
   * A[u] ← `topIds` (the raw row's top ids, best first; at least RECYCLE_WIDTH of them unless the
   * vocabulary is smaller, then the rest keep their old values). Ids must lie in [0, vocab).
   */
  update(u: number, topIds: readonly number[]): void {
    if (!this.data) throw new Error('size the matrix before updating it');
    const vocab = this.vocab!;
    if (!Number.isInteger(u) || u < 0 || u >= vocab) throw new RangeError(`input id ${u} is outside the vocabulary of ${vocab}`);
    const n = Math.min(RECYCLE_WIDTH, topIds.length);
    for (let i = 0; i < n; i++) {
      const id = topIds[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`successor id ${id} is outside the vocabulary of ${vocab}`);
      this.data[u * RECYCLE_WIDTH + i] = id;
    }
    this.writes++;
    if (this.everWritten![u] === 0) {
      this.everWritten![u] = 1;
      this.written++;
    }
  }

  /**
   * The chain from `x`: d_1 = A[x][0], d_i = A[d_{i−1}][0], i ≤ L, stopping after an EOS draft. Also
   * returns the row each draft was read from (a copy, as it stood; `initial` when never written).
   */
  chain(x: number, L: number, eosIds: readonly number[]): { d: number[]; rows: RecycledRow[] } {
    const d: number[] = [];
    const rows: RecycledRow[] = [];
    let from = x;
    for (let i = 0; i < L; i++) {
      const successors = this.row(from);
      const next = successors[0]!;
      rows.push(this.isWritten(from) ? { from, successors } : { from, successors, initial: true });
      d.push(next);
      if (eosIds.includes(next)) break;
      from = next;
    }
    return { d, rows };
  }
}
