/** What the "?" of a superposed decoding panel explains (docs/algorithms.md#superposed). */
import type { StrategyExplanation } from '../../ui-types';

export const superposedExplanations: Record<'superposed', StrategyExplanation> = {
  superposed: {
    summary: 'k drafts from one batch-1 forward per step: feed their last tokens superposed, sort them out with n-grams.',
    formula: (
      <>
        <i>e</i> = Σ<sub>v</sub> <i>W</i>(<i>v</i>)·<i>E</i>[<i>v</i>], <i>W</i>(<i>v</i>) ∝ Σ<sub>d: last(d)=v</sub> exp ℓ<sub>d</sub>; <i>p̃</i> = top-<i>n</i> of softmax(<i>z</i>/<i>T</i>); <i>s</i>
        <sub>d</sub>(<i>v</i>) = (1 − α) log <i>p̃</i>(<i>v</i>) + α log <i>g</i>
        <sub>d</sub>(<i>v</i>); keep the best <i>k</i> of ℓ<sub>d</sub> + <i>s</i>
        <sub>d</sub>(<i>v</i>)
      </>
    ),
    keyParams: ['n', 'alpha', 'tokenSample', 'temperature', 'corpusName'],
    papers: [{ cite: 'Shen et al. 2024, Superposed Decoding: Multiple Generations from a Single Autoregressive Inference Pass (NeurIPS)', url: 'https://arxiv.org/abs/2405.18400' }],
    interpretation:
      'Our interpretation: the step, defaults, n-gram orders 2–6 with weights 0.01/0.04/0.15/0.18/0.12 (maximum likelihood, no smoothing) and penalty 200 are as released; the released code decodes a fixed length and returns every draft, here the panel’s text follows the best draft and ends when its top candidate is an end token (or at the budget); α = 0 drops the n-gram term (the released code would compute 0·log 0); the n-gram corpus is a bundled or pasted text, not the paper’s web-scale corpus.',
  },
};
