import { nextProcessed, type ProcessedRow } from '../../../workers/decode/fusion';
import { chainParams, changesGreedyLogits, parseChain } from '../../../workers/processors/chain';
import type { ProcessedAnnotations } from '../annotations';
import type { DecodingStrategy, EmittedToken } from '../../types';

/** Per-token annotations of a processed choice: the processed distribution's view of it. */
export function processedAnnotations(r: ProcessedRow): ProcessedAnnotations {
  return { kind: 'processed', processedProb: r.processedProb, processedEntropy: r.processedEntropy, kept: r.kept };
}

/**
 * Greedy decoding: argmax of the processed row (padded rows masked, repetition penalty applied as in
 * Hugging Face; temperature, top-k, top-p and min-p are accepted and ignored because greedy does not
 * sample), ties to the lowest id. One forward pass per token. Without a penalty the processed row is
 * the raw row, so the plain readout is used (no fused pass, no annotations).
 */
export const greedy: DecodingStrategy = {
  info: {
    id: 'greedy',
    label: 'Greedy',
    description: 'Always the most probable next token (ties go to the lower token id). The repetition and presence penalties apply; temperature and the sampling warpers are ignored.',
    needsDraft: false,
    interpretation: false,
    params: chainParams(),
  },
  start(ctx) {
    const chain = parseChain(ctx.params);
    return {
      async step() {
        let token: EmittedToken;
        if (!changesGreedyLogits(chain)) {
          const row = await ctx.target.next(ctx.topK);
          const id = row.topIds[0];
          if (id === undefined) throw new Error('the logit row has no finite entry');
          token = { id, base: row, annotations: {} };
        } else {
          const r = await nextProcessed(ctx.target, { chain, history: ctx.target.ids, uniform: null, k: ctx.topK });
          token = { id: r.id, base: r.raw, annotations: processedAnnotations(r) };
        }
        ctx.target.commit([token.id]);
        return { tokens: [token] };
      },
    };
  },
};
