import type { RowSummary } from '../../../workers/decode/readout';
import type { ProcessedRow } from '../../../workers/decode/fusion';
import { greedyLogitFn, type ChainParams } from '../../../workers/processors/chain';
import type { ContrastiveAnnotations, ModelView } from '../annotations';
import type { ContrastSettings } from './cd-settings';

/** Alternatives listed per model in a CD token's annotations. */
const LISTED = 5;

/** The JSON of one contrastive-decoding token (../annotations.ts). */
export type CdAnnotations = ContrastiveAnnotations;

/** The probability of `id` and the top list of a raw row summary (`tokenLogit` asked for `id`). */
export function modelView(row: RowSummary, id: number): ModelView {
  const at = row.topIds.indexOf(id);
  const logit = at >= 0 ? row.topLogits[at]! : row.tokenLogit;
  if (logit === null || logit === undefined) throw new Error(`no logit for token ${id} in the summary`);
  const p = (z: number) => Math.exp(z - row.lse);
  return { prob: p(logit), maxProb: p(row.max), top: row.topIds.slice(0, LISTED).map((t, i) => ({ id: t, prob: p(row.topLogits[i]!) })) };
}

/**
 * The expert's greedy pick after the chain's greedy processors (repetition and presence penalty), over
 * the raw top list: exact when they never raise a logit (θ ≥ 1, α ≥ 0), so the argmax stays within the list.
 */
export function penalisedArgmax(raw: RowSummary, history: readonly number[], chain: ChainParams): number {
  const seen = new Set(history);
  const process = greedyLogitFn(chain);
  let best = -1;
  let bestZ = -Infinity;
  raw.topIds.forEach((id, i) => {
    const z = process(raw.topLogits[i]!, seen.has(id));
    if (z > bestZ) {
      bestZ = z;
      best = id;
    }
  });
  return best;
}

/** Assemble the annotations of a chosen token. */
export function cdAnnotations(a: { settings: ContrastSettings; chosen: number; fused: ProcessedRow; vHead: number; expertGreedy: number; expert: RowSummary; amateur: RowSummary }): CdAnnotations {
  const top = a.fused.processedTop;
  return {
    kind: 'contrastive',
    ...a.settings,
    vHead: a.vHead,
    expertGreedy: a.expertGreedy,
    departed: a.chosen !== a.expertGreedy,
    sampled: a.fused.sampled,
    scores: top.ids.slice(0, LISTED).map((id, i) => ({ id, score: top.logits[i]! })),
    expert: modelView(a.expert, a.chosen),
    amateur: modelView(a.amateur, a.chosen),
  };
}
