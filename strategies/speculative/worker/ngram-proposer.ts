import type { TokenSequence } from '../../../workers/decode/sequence';
import { promptLookup } from './lookup-match';
import type { Proposal, Proposer } from './types';

/**
 * Prompt-lookup proposer: drafts copied from the earliest earlier occurrence of the last n-gram of
 * the target's committed ids (no model, no forward). q is one-hot on each draft, so q_i(d_i) = 1.
 */
export class NgramProposer implements Proposer {
  constructor(
    private readonly target: TokenSequence,
    private readonly maxNgram: number,
    private readonly eosIds: readonly number[],
  ) {}

  async propose(k: number): Promise<Proposal> {
    const match = promptLookup(this.target.ids, this.maxNgram, k, this.eosIds);
    const d = match?.drafts ?? [];
    const info = match ? { match: { start: match.start, n: match.n } } : { match: null };
    return { d, q: d.map(() => 1), k, residualRows: null, info };
  }
}
