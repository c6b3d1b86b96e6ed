import { chainParams } from '../../../workers/processors/chain';
import { runIteration } from './iteration';
import { numberParam } from '../../../workers/params';
import { scheduleParam, SPECULATIVE_PARAMS } from './params';
import { draftModelParts } from './parts';
import { DraftSchedule } from './schedule';
import type { DecodingStrategy } from '../../types';

/**
 * Speculative decoding (Leviathan et al. 2023, https://arxiv.org/abs/2211.17192; Chen et al. 2023,
 * https://arxiv.org/abs/2302.01318): the draft model proposes k tokens, the target verifies them in
 * one forward, both KV caches roll back to the accepted prefix. Greedy output equals target greedy;
 * sampled output is distributed exactly as target sampling with the same processor chain.
 */
export const speculative: DecodingStrategy = {
  info: {
    id: 'speculative',
    label: 'Speculative decoding',
    description: 'A draft model proposes k tokens; the target checks them all in one forward pass and keeps the agreeing prefix plus one token of its own. Same output (greedy) or same distribution (sampling) as the target alone, with fewer target passes.',
    needsDraft: true,
    interpretation: false,
    params: [...SPECULATIVE_PARAMS, ...chainParams()],
  },
  start(ctx) {
    const draft = ctx.draft;
    if (!draft) throw new Error('speculative decoding needs a draft model');
    const schedule = new DraftSchedule(scheduleParam(ctx.params), numberParam(SPECULATIVE_PARAMS, ctx.params, 'k'));
    const parts = draftModelParts({ ...ctx, eosIds: ctx.eosIds ?? [] }, draft);
    return {
      async step() {
        const result = await runIteration(parts, schedule.k);
        schedule.update(result.accepted);
        return { tokens: result.tokens };
      },
    };
  },
};
