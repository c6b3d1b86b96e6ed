/** What the "?" of an n-gram injection panel explains (docs/algorithms.md#n-gram-injection; smoothing is our interpretation). */
import type { StrategyExplanation } from '../../ui-types';

export const ngramExplanations: Record<'ngram', StrategyExplanation> = {
  ngram: {
    summary: 'Nudge the model towards the word sequences of a style text with a small n-gram model.',
    formula: (
      <>
        <i>z′</i>(<i>v</i>) = <i>z</i>(<i>v</i>) + λ · log <i>P</i>
        <sub>style</sub>(<i>v</i> | last <i>n</i>−1 tokens), <i>P</i>
        <sub>style</sub> = Σ<sub>n</sub> <i>w</i>
        <sub>n</sub> (<i>c</i> + <i>k</i>) / (<i>c</i>(ctx) + <i>k</i>|<i>V</i>|) over the orders whose context the text holds
      </>
    ),
    keyParams: ['lambda', 'n', 'smoothing', 'corpusName', 'corpus'],
    papers: [{ cite: 'Ahmed 2026, Limits of n-gram Style Control for LLMs via Logit-Space Injection', url: 'https://arxiv.org/abs/2601.16224' }],
    interpretation: 'Our interpretation: the paper gives no smoothing or order weights, so add-k (k = 0.1), weights 0.2 / 0.3 / 0.5 and a floor of 10⁻⁸ are our choices; λ defaults to 1.5, where the built-in stories model visibly takes up the pirate words and stays fluent.',
  },
};
