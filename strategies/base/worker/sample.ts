import { nextProcessed } from '../../../workers/decode/fusion';
import { chainParams, isSampling, parseChain } from '../../../workers/processors/chain';
import { processedAnnotations } from './greedy';
import type { DecodingStrategy } from '../../types';

/**
 * Plain ancestral sampling through the Hugging Face processor chain (repetition penalty →
 * temperature → top-k → top-p → min-p; docs/algorithms.md#processor-chain), one seeded uniform per token drawn by
 * inverse CDF over the kept tokens in id order. Temperature below 1e-5 is greedy (no draw).
 * Top-p: Holtzman et al. 2020, https://arxiv.org/abs/1904.09751; min-p: Nguyen et al. 2024,
 * https://arxiv.org/abs/2407.01082; repetition penalty: Keskar et al. 2019, https://arxiv.org/abs/1909.05858.
 */
export const sample: DecodingStrategy = {
  info: {
    id: 'sample',
    label: 'Sampling',
    description: 'Draw each token from the processed distribution (temperature, top-k, top-p, min-p, repetition penalty, in Hugging Face order) with the run seed.',
    needsDraft: false,
    interpretation: false,
    params: chainParams({ temperature: 1 }),
  },
  start(ctx) {
    const chain = parseChain(ctx.params);
    return {
      async step() {
        const uniform = isSampling(chain) ? ctx.rng.next() : null;
        const r = await nextProcessed(ctx.target, { chain, history: ctx.target.ids, uniform, k: ctx.topK });
        ctx.target.commit([r.id]);
        return { tokens: [{ id: r.id, base: r.raw, annotations: processedAnnotations(r) }] };
      },
    };
  },
};
