import type { TokenSequence } from '../../../workers/decode/sequence';
import { argmaxOf, probOf } from './rows';
import type { Proposal, Verification, Verifier } from './types';
import { acceptGreedy } from './verify';

/**
 * Greedy verification (temperature 0): keep drafts while each equals the target argmax at its
 * position, then emit the target argmax after the last kept one. p values reported are the target's
 * softmax at temperature 1. One forward of length L + 1 (more on the first iteration: the prompt).
 */
export class GreedyVerifier implements Verifier {
  /** @param topK top-k size of every summary (≥ 10 for the records) */
  constructor(private readonly topK: number) {}

  async verify(target: TokenSequence, proposal: Proposal): Promise<Verification> {
    const d = proposal.d;
    const base = await target.feed(this.topK, [...d, null], d.length + 1);
    const argmaxP = base.map(argmaxOf);
    const accepted = acceptGreedy(d, argmaxP);
    const next = argmaxP[accepted]!;
    return {
      base,
      verdict: { accepted, next, pD: d.map((id, i) => probOf(base[i]!, id)), pNext: probOf(base[accepted]!, next), r: null },
    };
  }
}
