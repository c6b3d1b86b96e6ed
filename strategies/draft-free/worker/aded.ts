import { chainParams } from '../../../workers/processors/chain';
import { numberParam } from '../../../workers/params';
import { runIteration } from '../../speculative/worker/iteration';
import type { DecodingStrategy } from '../../types';
import { NgramTables } from './ngram-tables';
import { ADED_PARAMS } from './params';
import { oneHotParts } from '../../speculative/worker/parts';
import { AdedProposer } from './proposers';

/**
 * ADED, adaptive draft-verification (Liu, Lei, Zhang, Xu, AAAI 2025, https://arxiv.org/abs/2407.12021),
 * chain form: drafts by the largest count in a tri-gram table T[(a, b)] (bigram B[b] fallback) built
 * from the prompt and the committed text; an empty row ends the chain (no draft: a plain target
 * step). Every constant is our interpretation of the paper's summary. Verified like prompt lookup
 * (docs/algorithms.md#aded).
 */
export const aded: DecodingStrategy = {
  info: {
    id: 'aded',
    label: 'ADED (tri-gram drafts)',
    description:
      'Drafts a chain from tri-gram counts of the prompt and the text so far (bigram fallback) and checks it in one target pass. No draft model; same output as the target alone, fewer passes on repetitive text.',
    needsDraft: false,
    interpretation: true,
    params: [...ADED_PARAMS, ...chainParams()],
  },
  start(ctx) {
    const k = numberParam(ADED_PARAMS, ctx.params, 'k');
    const eosIds = ctx.eosIds ?? [];
    const parts = oneHotParts({ ...ctx, eosIds }, 'ADED', new AdedProposer(ctx.target, new NgramTables(), eosIds));
    return {
      async step() {
        return { tokens: (await runIteration(parts, k)).tokens };
      },
    };
  },
};
