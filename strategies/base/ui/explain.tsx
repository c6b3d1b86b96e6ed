/** What the "?" of a greedy or sampling panel explains (docs/algorithms.md#greedy, #sampling, #processor-chain). */
import type { StrategyExplanation } from '../../ui-types';

export const baseExplanations: Record<'greedy' | 'sample', StrategyExplanation> = {
  greedy: {
    summary: 'Always the most probable next token.',
    formula: (
      <>
        <i>x</i>
        <sub>t</sub> = argmax
        <sub>
          <i>v</i>
        </sub>{' '}
        <i>z</i>′
        <sub>
          <i>t</i>
        </sub>
        (<i>v</i>), ties to the lower id; <i>z</i>′ = logits after the repetition penalty (the only processor greedy uses).
      </>
    ),
    keyParams: ['repetitionPenalty'],
    papers: [{ cite: 'Keskar et al. 2019, CTRL (repetition penalty)', url: 'https://arxiv.org/abs/1909.05858' }],
  },
  sample: {
    summary: 'Draws each token from the processed distribution with the run seed.',
    formula: (
      <>
        <i>x</i>
        <sub>t</sub> ~ softmax(<i>z</i>′ / <i>T</i>) restricted to the tokens top-k, top-p, min-p and typical-p keep (Hugging Face order), drawn with one seeded
        uniform <i>u</i> by inverse CDF.
      </>
    ),
    keyParams: ['temperature', 'topK', 'topP', 'minP'],
    papers: [
      { cite: 'Fan et al. 2018, top-k sampling', url: 'https://arxiv.org/abs/1805.04833' },
      { cite: 'Holtzman et al. 2020, nucleus (top-p) sampling', url: 'https://arxiv.org/abs/1904.09751' },
      { cite: 'Nguyen et al. 2024, min-p sampling', url: 'https://arxiv.org/abs/2407.01082' },
      { cite: 'Meister et al. 2023, locally typical sampling', url: 'https://arxiv.org/abs/2202.00666' },
    ],
  },
};
