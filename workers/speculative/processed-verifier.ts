import { fusionHost, processRow, sampleResidual, type FusionHost, type ProcessedDistribution } from '../decode/fusion';
import type { TokenSequence } from '../decode/sequence';
import type { Logits } from '../model/logits';
import { isSampling, type ChainParams } from '../processors/chain';
import type { Rng } from '../rng';
import { emittedRows } from './emitted-rows';
import { oneHotDistribution } from './one-hot';
import type { Proposal, Verdict, Verification, Verifier } from './types';
import { acceptRatio } from './verify';

/**
 * processRow draws only when given a uniform; verification rows need the warped distribution
 * without a draw, so they pass this fixed uniform and ignore the drawn id.
 */
const NO_DRAW = 0;

/**
 * Verification through the processor chain (workers/decode/fusion.ts), p_i being the target's
 * FINAL distribution (repetition penalty over committed ids + d_<i; when sampling, the warpers too).
 * Greedy: accept while d_i == argmax p_i. Sampling (Leviathan et al. 2023, Algorithm 1): accept
 * while r_i < min(1, p_i(d_i)/q_i(d_i)); at the first rejection draw from norm(max(0, p_i − q_i))
 * (q one-hot for n-gram drafts); after k acceptances draw the bonus from p_{k+1}. One target forward;
 * rows are processed in order and only up to the decision.
 */
export class ProcessedVerifier implements Verifier {
  constructor(
    private readonly chain: ChainParams,
    private readonly rng: Rng,
    private readonly topK: number,
  ) {}

  async verify(target: TokenSequence, proposal: Proposal): Promise<Verification> {
    const host = fusionHost(target);
    const logits = await target.forwardPending();
    try {
      const first = logits.seqLen - (proposal.d.length + 1);
      const verdict = await this.decide(host, logits, first, target.ids, proposal);
      const emitted = [...proposal.d.slice(0, verdict.accepted), verdict.next];
      return { base: await emittedRows(host.readout, logits, first, emitted, this.topK), verdict };
    } finally {
      logits.dispose();
    }
  }

  private async decide(host: FusionHost, logits: Logits, first: number, ids: readonly number[], proposal: Proposal): Promise<Verdict> {
    const { d } = proposal;
    const committed = ids.length - d.length;
    const sampling = isSampling(this.chain);
    const pD: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < d.length; i++) {
      const opts = { chain: this.chain, history: ids.slice(0, committed + i), uniform: sampling ? NO_DRAW : null, tokenIds: [d[i]!], keep: sampling, k: 1 };
      const row = await processRow(host, logits, first + i, opts);
      try {
        const p = row.tokenProcessedProbs[0]!;
        pD.push(p);
        if (!sampling) {
          if (row.id !== d[i]) return { accepted: i, next: row.id, pD, pNext: row.processedProb, r: null };
          continue;
        }
        const ri = this.rng.next();
        r.push(ri);
        if (ri < acceptRatio(p, proposal.q[i]!)) continue;
        const next = await this.residual(host, logits, first + i, row.distribution!, proposal, i);
        return { accepted: i, next, pD, pNext: null, r };
      } finally {
        row.distribution?.dispose();
      }
    }
    const opts = { chain: this.chain, history: ids, uniform: sampling ? this.rng.next() : null, k: 1 };
    const bonus = await processRow(host, logits, first + d.length, opts);
    return { accepted: d.length, next: bonus.id, pD, pNext: bonus.processedProb, r: sampling ? r : null };
  }

  private async residual(host: FusionHost, logits: Logits, row: number, p: ProcessedDistribution, proposal: Proposal, i: number): Promise<number> {
    const kept = proposal.residualRows?.[i];
    const q = kept ?? (await oneHotDistribution(host, logits, row, proposal.d[i]!));
    try {
      return (await sampleResidual(host, p, q, this.rng.next())).id;
    } finally {
      if (!kept) q.dispose();
    }
  }
}
