import { processRow, type ProcessedDistribution } from '../../../workers/decode/fusion';
import type { TokenSequence } from '../../../workers/decode/sequence';
import { isSampling, type ChainParams } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
import type { Proposal, Proposer } from './types';

/**
 * Draft-model proposer through the processor chain (workers/decode/fusion.ts): each q_i is the
 * draft's FINAL distribution under the same chain as the target (repetition penalty over the
 * draft's ids; when sampling, temperature → top-k → top-p → min-p), d_i is its argmax or an
 * inverse-CDF draw with one uniform, and q_i is kept on the device for the residual. One draft
 * forward per draft; drafts are committed to the draft runner; drafting stops after an EOS.
 */
export class ProcessedDraftProposer implements Proposer {
  constructor(
    private readonly draft: TokenSequence,
    private readonly chain: ChainParams,
    private readonly rng: Rng,
    private readonly eosIds: readonly number[],
  ) {}

  async propose(k: number): Promise<Proposal> {
    const host = this.draft;
    const sampling = isSampling(this.chain);
    const d: number[] = [];
    const q: number[] = [];
    const kept: ProcessedDistribution[] = [];
    try {
      for (let i = 0; i < k; i++) {
        const logits = await this.draft.forwardPending();
        let row;
        try {
          row = await processRow(host, logits, logits.rowIndex(0, -1), { chain: this.chain, history: this.draft.ids, uniform: sampling ? this.rng.next() : null, keep: sampling, k: 1 });
        } finally {
          logits.dispose();
        }
        if (row.distribution) kept.push(row.distribution);
        d.push(row.id);
        q.push(row.processedProb);
        this.draft.commit([row.id]);
        if (this.eosIds.includes(row.id)) break;
      }
    } catch (e) {
      for (const dist of kept) dist.dispose();
      throw e;
    }
    return { d, q, k, residualRows: sampling ? kept : null, info: {} };
  }
}
