import type { TokenSequence } from '../../../workers/decode/sequence';
import { argmaxOf, probOf } from './rows';
import type { Proposal, Proposer } from './types';

/**
 * Greedy draft-model proposer: d_i = argmax q_i for i = 1..k, one draft forward each (the first
 * also feeds every committed token the draft has not seen: the prompt, or [d_k, t] after a full
 * accept). Drafts are committed to the draft runner; drafting stops after an EOS.
 * q values reported are the draft's softmax at temperature 1. Only the argmax is read back (top-1).
 */
export class GreedyDraftProposer implements Proposer {
  constructor(
    private readonly draft: TokenSequence,
    private readonly eosIds: readonly number[],
  ) {}

  async propose(k: number): Promise<Proposal> {
    const d: number[] = [];
    const q: number[] = [];
    for (let i = 0; i < k; i++) {
      const row = await this.draft.next(1);
      const id = argmaxOf(row);
      d.push(id);
      q.push(probOf(row, id));
      this.draft.commit([id]);
      if (this.eosIds.includes(id)) break;
    }
    return { d, q, k, residualRows: null, info: {} };
  }
}
