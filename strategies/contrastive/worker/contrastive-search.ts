import { ContrastiveSearchRun, NO_HIDDEN_STATE } from './cs-run';
import { LogitscopeError } from '../../../workers/errors';
import { numberParam } from '../../../workers/params';
import type { ParamSchema } from '../../../protocol';
import type { DecodingStrategy } from '../../types';

const SEARCH_PARAMS: ParamSchema[] = [
  { name: 'k', label: 'Candidates k', type: 'integer', default: 4, min: 1, max: 16, help: 'Top-k tokens scored per step (one batched forward of k rows).' },
  { name: 'alpha', label: 'Degeneration penalty α', type: 'number', default: 0.6, min: 0, max: 1, help: 'score = (1−α)·p − α·max cosine to the context; 0 is greedy.' },
];

/**
 * Contrastive search (SimCTG; Su et al. 2022, https://arxiv.org/abs/2202.06417; Su & Collier 2022,
 * https://arxiv.org/abs/2210.14140): among the top-k tokens pick argmax (1−α)·p(v) − α·max_j
 * cos(h_v, h_j). One batched forward (batch k) per token; needs `last_hidden_state`.
 */
export const contrastiveSearch: DecodingStrategy = {
  info: {
    id: 'contrastive-search',
    label: 'Contrastive search',
    description:
      'SimCTG: among the k most probable tokens, prefer the one whose hidden state is least similar to the context, trading confidence against repetition. Needs a model that exports last_hidden_state (the built-in models do; standard Hub exports do not).',
    needsDraft: false,
    needsHiddenState: true,
    interpretation: false,
    params: SEARCH_PARAMS,
  },
  start(ctx) {
    const model = ctx.capabilities?.branching;
    const settings = { k: numberParam(SEARCH_PARAMS, ctx.params, 'k'), alpha: numberParam(SEARCH_PARAMS, ctx.params, 'alpha'), topK: ctx.topK };
    if (!model) return { step: () => Promise.reject(new LogitscopeError('model-invalid', NO_HIDDEN_STATE)) };
    return new ContrastiveSearchRun(model, settings);
  },
};
