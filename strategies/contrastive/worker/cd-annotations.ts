import type { RowSummary } from '../../../workers/decode/readout';
import type { ProcessedRow } from '../../../workers/decode/fusion';
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
 * The expert's greedy pick after the CTRL repetition penalty θ, over the raw top list: exact for
 * θ ≥ 1 (the penalty never raises a logit, so the argmax stays within the top list).
 */
export function penalisedArgmax(raw: RowSummary, history: readonly number[], theta: number): number {
  const seen = new Set(history);
  let best = -1;
  let bestZ = -Infinity;
  raw.topIds.forEach((id, i) => {
    const z0 = raw.topLogits[i]!;
    const z = seen.has(id) && theta !== 1 ? (z0 > 0 ? z0 / theta : z0 * theta) : z0;
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
