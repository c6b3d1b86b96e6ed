import { processRow, type FusionHost, type ProcessedRow, type ProcessRowOptions } from '../../../workers/decode/fusion';
import type { Logits } from '../../../workers/model/logits';

/** Ids probed per tie (processRow reports processed probabilities of at most this many). */
const PROBE = 16;

/**
 * Deterministic tie-break of a greedy CD choice (docs/algorithms.md#contrastive-decoding): among the ids tied
 * at the top contrast score, the highest processed expert logit, then the lower id. Li's scores all
 * tie at 0 when the amateur is the expert, and the fused argmax alone would pick the lowest id.
 * Costs two small extra passes, only when the top two scores tie. The expert's top PROBE ids are
 * probed in logit order; a tie set entirely below them keeps the fused choice (lowest id).
 */
export async function breakTie(host: FusionHost, expert: Logits, row: number, opts: ProcessRowOptions, chosen: ProcessedRow): Promise<number> {
  const top = chosen.processedTop;
  if (chosen.sampled || top.ids.length < 2 || top.logits[1] !== top.logits[0]) return chosen.id;
  const byExpert = await processRow(host, expert, row, { chain: opts.chain, history: opts.history, uniform: null, k: PROBE });
  const probe = await processRow(host, expert, row, { ...opts, uniform: null, k: 1, tokenIds: byExpert.processedTop.ids });
  const at = probe.tokenProcessedProbs.findIndex((p) => p === probe.processedProb);
  return at >= 0 ? byExpert.processedTop.ids[at]! : chosen.id;
}
