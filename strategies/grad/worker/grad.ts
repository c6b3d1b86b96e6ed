import { LogitscopeError } from '../../../workers/errors';
import { GradRun } from './grad-run';
import { gradParams, parseGradSettings } from './settings';
import type { DecodingStrategy } from '../../types';

/**
 * GRAD, Graph-Retrieved Adaptive Decoding (Nguyen, Gupta, Do, Le 2025,
 * https://arxiv.org/abs/2511.03900): BM25 retrieves passages for the prompt, one batched prefill
 * turns them into a token transition graph E(u → v) += max(0, Z[i, c_{i+1}]), and greedy decoding
 * fuses the max-normalised graph row of the last token into the logits. The fusion equation is not
 * public: variants A (default), B and C are our interpretation (docs/algorithms.md#fusion-variants).
 */
export const grad: DecodingStrategy = {
  info: {
    id: 'grad',
    label: 'GRAD (graph-retrieved)',
    description:
      'Greedy decoding nudged towards the token transitions of passages retrieved for the prompt: a bigram graph weighted by the model’s own confidence over the passages, fused into the logits (our interpretation of the unpublished equation).',
    needsDraft: false,
    interpretation: true,
    params: gradParams(),
  },
  start(ctx) {
    const settings = parseGradSettings(ctx.params);
    const runner = ctx.capabilities?.batched;
    if (!runner) return { step: () => Promise.reject(new LogitscopeError('internal', 'GRAD needs a model runner (batched corpus prefill)')) };
    return new GradRun(runner, settings, ctx.topK, self.location.origin, ctx.stop);
  },
};
