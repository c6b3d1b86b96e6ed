import { processRow, type FusionHost, type ProcessedDistribution } from '../../../workers/decode/fusion';
import type { Logits } from '../../../workers/model/logits';
import type { ChainParams } from '../../../workers/processors/chain';

/** Added to the drafted token's logit so that top-1 keeps it alone (finite, far above any real logit gap). */
const LIFT = 1e4;

/** Keeps exactly the top token after the lift: the chain of a one-hot distribution. */
const TOP_ONE: ChainParams = { temperature: 1, topK: 1, topP: 1, minP: 0, repetitionPenalty: 1 };

/**
 * q = one-hot(d) as a kept distribution, for the residual norm(max(0, p − q)) of prompt lookup
 * (= p with d removed, renormalised). fusion.ts keeps only processed rows, so this builds one from
 * the same logits row: lift d's logit by LIFT and keep the top 1. The draw it makes (uniform 0) is
 * discarded. Costs one extra fused pass, only at a rejection. The caller disposes the result.
 */
export async function oneHotDistribution(host: FusionHost, logits: Logits, row: number, d: number): Promise<ProcessedDistribution> {
  const r = await processRow(host, logits, row, { chain: TOP_ONE, history: [], uniform: 0, sparse: { ids: [d], values: [LIFT], scale: 1 }, keep: true, k: 1 });
  if (r.id !== d || r.kept !== 1 || !r.distribution) {
    r.distribution?.dispose();
    throw new Error(`one-hot distribution for token ${d} kept ${r.kept} token(s) with top ${r.id}`);
  }
  return r.distribution;
}
