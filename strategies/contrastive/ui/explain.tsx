/** What the "?" of a contrastive decoding or contrastive search panel explains (docs/algorithms.md#contrastive-decoding, #contrastive-search). */
import type { StrategyExplanation } from '../../ui-types';

export const contrastiveExplanations: Record<'contrastive' | 'contrastive-search', StrategyExplanation> = {
  contrastive: {
    summary: 'Prefers the tokens the expert likes much more than the amateur (second model).',
    formula: (
      <>
        <i>s</i>
        <sub>i</sub> = (1 + β)·<i>z</i>
        <sub>E,i</sub> − β·<i>z</i>
        <sub>A,i</sub> (logit form; log-prob form: ln <i>p</i>
        <sub>E,i</sub> − ln <i>p</i>
        <sub>A,i</sub>) for tokens with <i>p</i>
        <sub>E,i</sub> ≥ α·max <i>p</i>
        <sub>E</sub>, else −∞; the token is argmax <i>s</i>.
      </>
    ),
    keyParams: ['alpha', 'beta', 'form'],
    papers: [
      { cite: 'Li et al. 2023, Contrastive Decoding', url: 'https://arxiv.org/abs/2210.15097' },
      { cite: 'O’Brien & Lewis 2023, Contrastive Decoding Improves Reasoning', url: 'https://arxiv.org/abs/2309.09117' },
    ],
  },
  'contrastive-search': {
    summary: 'Among the k likeliest tokens, prefers the one least similar to the context (SimCTG).',
    formula: (
      <>
        <i>x</i>
        <sub>t</sub> = argmax
        <sub>
          <i>v</i> ∈ top-<i>k</i>
        </sub>{' '}
        (1 − α)·<i>p</i>(<i>v</i>) − α·max
        <sub>
          <i>j</i>&lt;<i>t</i>
        </sub>{' '}
        cos(<i>h</i>
        <sub>v</sub>, <i>h</i>
        <sub>j</sub>), <i>h</i> = last hidden states (the model must export them).
      </>
    ),
    keyParams: ['k', 'alpha'],
    papers: [
      { cite: 'Su et al. 2022, A Contrastive Framework for Neural Text Generation', url: 'https://arxiv.org/abs/2202.06417' },
      { cite: 'Su & Collier 2022, Contrastive Search Is What You Need', url: 'https://arxiv.org/abs/2210.14140' },
    ],
  },
};
