import type { TokenSequence } from '../../../workers/decode/sequence';
import type { AdedInfo, RecyclingInfo } from '../../speculative/annotations';
import type { Proposal, Proposer } from '../../speculative/worker/types';
import type { NgramTables } from './ngram-tables';
import { topEntries } from './ngram-tables';
import type { RecyclingMatrix } from './recycling-matrix';

/**
 * Token Recycling's chain proposer: d_1 = A[x][0], d_i = A[d_{i−1}][0] from the last committed id x.
 * No model and no forward; q is one-hot on each draft (q_i(d_i) = 1), as in prompt lookup.
 */
export class RecyclingProposer implements Proposer {
  constructor(
    private readonly target: TokenSequence,
    private readonly matrix: RecyclingMatrix,
    private readonly eosIds: readonly number[],
  ) {}

  async propose(k: number): Promise<Proposal> {
    const x = this.target.ids[this.target.ids.length - 1];
    if (x === undefined) throw new Error('token recycling needs at least one prompt token');
    const { d, rows } = this.matrix.chain(x, k, this.eosIds);
    const recycling: RecyclingInfo = { rows, written: this.matrix.written, vocab: this.matrix.vocab };
    return { d, q: d.map(() => 1), k, residualRows: null, info: { recycling } };
  }
}

/**
 * ADED's chain proposer: first counts the committed text not counted yet (prompt, accepted drafts,
 * correction / bonus tokens: never a rejected draft), then drafts by the largest tri-gram count after
 * the last two ids (bigram fallback). q is one-hot.
 */
export class AdedProposer implements Proposer {
  constructor(
    private readonly target: TokenSequence,
    private readonly tables: NgramTables,
    private readonly eosIds: readonly number[],
  ) {}

  async propose(k: number): Promise<Proposal> {
    this.tables.sync(this.target.ids);
    const { d, rows } = this.tables.chain(this.target.ids, k, this.eosIds);
    const aded: AdedInfo = {
      rows: rows.map((r) => ({ order: r.order, context: r.context, next: topEntries(r.row) })),
      trigrams: this.tables.trigrams,
      bigrams: this.tables.bigrams,
    };
    return { d, q: d.map(() => 1), k, residualRows: null, info: { aded } };
  }
}
