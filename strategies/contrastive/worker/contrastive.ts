import { ContrastiveDecodingRun } from './cd-run';
import { CONTRAST_PARAMS, parseContrast } from './cd-settings';
import { LogitscopeError } from '../../../workers/errors';
import { chainParams, parseChain } from '../../../workers/processors/chain';
import type { DecodingStrategy } from '../../types';

/**
 * Contrastive decoding, expert (`model`) minus amateur (`draft`): O'Brien & Lewis 2023
 * (https://arxiv.org/abs/2309.09117) logit form by default, Li et al. 2022
 * (https://arxiv.org/abs/2210.15097) log-probability form as an option; both restricted to the
 * expert's plausible tokens. Two forward passes per token.
 */
export const contrastive: DecodingStrategy = {
  info: {
    id: 'contrastive',
    label: 'Contrastive decoding',
    description:
      'Prefers tokens the expert (model) likes much more than the amateur (second model): score = (1+β)·z_expert − β·z_amateur (O\u2019Brien & Lewis), or log p_expert − log p_amateur (Li et al.), only among tokens with p_expert ≥ α · max p_expert. Needs a second model sharing the tokenizer.',
    needsDraft: true,
    interpretation: false,
    params: [
      ...CONTRAST_PARAMS,
      ...chainParams(),
    ],
  },
  start(ctx) {
    const contrast = parseContrast(ctx.params);
    const chain = parseChain(ctx.params);
    if (!ctx.draft) throw new LogitscopeError('bad-request', 'contrastive decoding needs a second model (the amateur): choose a draft');
    return new ContrastiveDecodingRun(ctx.target, ctx.draft, { contrast, chain, topK: ctx.topK }, ctx.rng);
  },
};
