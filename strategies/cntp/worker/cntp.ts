import { CntpRun } from './cntp-run';
import { cntpParams, parseCntpSettings } from './settings';
import { LogitscopeError } from '../../../workers/errors';
import type { DecodingStrategy } from '../../types';

/**
 * CNTP, Cautious Next Token Prediction (Wang et al., Findings of ACL 2025,
 * https://arxiv.org/abs/2507.03038; code https://github.com/wyzjack/CNTP): when the processed
 * distribution is uncertain, sample N trials up to the next punctuation as one batch and keep the
 * lowest-perplexity one. N grows linearly with the entropy (the released code's formula by default).
 */
export const cntp: DecodingStrategy = {
  info: {
    id: 'cntp',
    label: 'CNTP (cautious)',
    description:
      'Sampling that hesitates: when the next-token entropy is high, it samples several continuations up to the next punctuation mark in one batch and keeps the one with the lowest perplexity.',
    needsDraft: false,
    interpretation: false,
    params: cntpParams(),
  },
  start(ctx) {
    const settings = parseCntpSettings(ctx.params);
    const runner = ctx.capabilities?.batched;
    if (!runner) return { step: () => Promise.reject(new LogitscopeError('internal', 'CNTP needs a model runner (batched trials)')) };
    return new CntpRun(runner, settings, ctx.rng, ctx.topK, ctx.stop);
  },
};
