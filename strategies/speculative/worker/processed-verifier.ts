import { processRow, processRows, sampleResidual, type FusionHost, type ProcessedDistribution, type ProcessedRow, type ProcessRowsItem } from '../../../workers/decode/fusion';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { Logits } from '../../../workers/model/logits';
import { isSampling, type ChainParams } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
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
 * the k draft rows (and, under greedy, the bonus row) are processed in ONE processRows batch, then
 * decided in order. The sampled bonus row needs the uniform drawn after r_1..r_k, so it is processed
 * on its own, only when every draft was accepted: the Rng stream is the same as row-by-row.
 */
export class ProcessedVerifier implements Verifier {
  constructor(
    private readonly chain: ChainParams,
    private readonly rng: Rng,
    private readonly topK: number,
  ) {}

  async verify(target: TokenSequence, proposal: Proposal): Promise<Verification> {
    const host = target;
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
    const items: ProcessRowsItem[] = d.map((di, i) => ({ row: first + i, opts: { chain: this.chain, history: ids.slice(0, committed + i), uniform: sampling ? NO_DRAW : null, tokenIds: [di], keep: sampling, k: 1 } }));
    const bonusItem: ProcessRowsItem = { row: first + d.length, opts: { chain: this.chain, history: ids, uniform: null, k: 1 } };
    if (!sampling) items.push(bonusItem);
    const rows = await processRows(host, logits, items);
    try {
      const pD: number[] = [];
      const r: number[] = [];
      for (let i = 0; i < d.length; i++) {
        const row = rows[i]!;
        pD.push(row.tokenProcessedProbs[0]!);
        if (!sampling) {
          if (row.id !== d[i]) return { accepted: i, next: row.id, pD, pNext: row.processedProb, r: null };
          continue;
        }
        const ri = this.rng.next();
        r.push(ri);
        if (ri < acceptRatio(pD[i]!, proposal.q[i]!)) continue;
        const next = await this.residual(host, logits, first + i, row.distribution!, proposal, i);
        return { accepted: i, next, pD, pNext: null, r };
      }
      const bonus = sampling ? await processRow(host, logits, bonusItem.row, { ...bonusItem.opts, uniform: this.rng.next() }) : rows[d.length]!;
      return { accepted: d.length, next: bonus.id, pD, pNext: bonus.processedProb, r: sampling ? r : null };
    } finally {
      disposeAll(rows);
    }
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

function disposeAll(rows: readonly ProcessedRow[]): void {
  for (const row of rows) row.distribution?.dispose();
}
