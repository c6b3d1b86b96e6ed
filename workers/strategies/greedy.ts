import type { DecodingStrategy } from './types';

/**
 * Greedy decoding: argmax of the raw logits (padded rows masked), ties to the lowest id. One forward
 * pass per token.
 */
export const greedy: DecodingStrategy = {
  info: {
    id: 'greedy',
    label: 'Greedy',
    description: 'Always the most probable next token (ties go to the lower token id).',
    needsDraft: false,
    interpretation: false,
    params: [],
  },
  start(ctx) {
    return {
      async step() {
        const row = await ctx.target.next(ctx.topK);
        const id = row.topIds[0];
        if (id === undefined) throw new Error('the logit row has no finite entry');
        ctx.target.commit([id]);
        ctx.draft?.commit([id]);
        return { tokens: [{ id, base: row, annotations: {} }] };
      },
    };
  },
};
