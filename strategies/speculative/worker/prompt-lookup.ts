import { chainParams } from '../../../workers/processors/chain';
import { runIteration } from './iteration';
import { numberParam } from '../../../workers/params';
import { LOOKUP_PARAMS } from './params';
import { ngramParts } from './parts';
import type { DecodingStrategy } from '../../types';

/**
 * Prompt-lookup decoding (Saxena 2023, https://github.com/apoorvumang/prompt-lookup-decoding): drafts
 * are copied from where the last n-gram occurred earlier in prompt + output, then verified like
 * speculative decoding with a one-hot draft distribution (docs/algorithms.md#prompt-lookup-decoding). Greedy output equals
 * target greedy; sampled output is distributed as target sampling.
 */
export const promptLookupDecoding: DecodingStrategy = {
  info: {
    id: 'prompt-lookup',
    label: 'Prompt-lookup decoding',
    description: 'Copies the continuation of an earlier occurrence of the last few tokens as a draft and checks it in one target pass. No draft model; fast on repetitive text, same output as the target alone.',
    needsDraft: false,
    interpretation: false,
    params: [...LOOKUP_PARAMS, ...chainParams()],
  },
  start(ctx) {
    const k = numberParam(LOOKUP_PARAMS, ctx.params, 'k');
    const parts = ngramParts({ ...ctx, eosIds: ctx.eosIds ?? [] }, numberParam(LOOKUP_PARAMS, ctx.params, 'ngram'));
    return {
      async step() {
        return { tokens: (await runIteration(parts, k)).tokens };
      },
    };
  },
};
