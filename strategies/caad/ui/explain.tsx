/** What the "?" of a CAAD panel explains (docs/algorithms.md#caad; aggregation and gate are our interpretation). */
import type { StrategyExplanation } from '../../ui-types';

export const caadExplanations: Record<'caad', StrategyExplanation> = {
  caad: {
    summary: 'Shift the logits towards what reference texts continued with where their hidden state matched this one.',
    formula: (
      <>
        <i>z′</i>(<i>v</i>) = <i>z</i>(<i>v</i>) + λ · <i>g</i> · (<i>r</i>(<i>v</i>) − mean<sub>top64</sub> <i>r</i>), <i>r</i>(<i>v</i>) = Σ<sub>j</sub> <i>a</i>
        <sub>j</sub> val<sub>j</sub>(<i>v</i>), <i>a</i> = softmax(cos<sub>j</sub> / <i>T</i>
        <sub>r</sub>) over the top-<i>N</i> stored positions with cos ≥ σ<sub>min</sub>, <i>g</i> = max<sub>j</sub> cos<sub>j</sub>
      </>
    ),
    keyParams: ['lambda', 'neighbours', 'minSimilarity', 'retrievalTemperature', 'answerWeight', 'corpusName', 'corpus'],
    papers: [{ cite: 'Nguyen, Gupta, Le 2025, CAAD: Context-Aware Adaptive Decoding for Truthful Text Generation (v2: Retrieval-Augmented Decoding)', url: 'https://arxiv.org/abs/2508.02184' }],
    interpretation:
      'Our interpretation: the abstract gives the store (context embeddings and next-token logits of reference answers) and top-N retrieval; the softmax weights (T_r = 0.1), the floor of missing entries (each entry’s 64th log-prob), the gate g = max cos, the centring and σ_min = 0.6 are our choices, and so is μ = 0.9: a stored value puts that mass on the reference’s own next token (μ = 0 stores the model’s log-probabilities alone, which can then only sharpen what the model already prefers).',
  },
};
