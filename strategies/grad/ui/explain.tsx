/** What the "?" of a GRAD panel explains (docs/algorithms.md#grad; the fusion is our interpretation). */
import type { StrategyExplanation } from '../../ui-types';

export const gradExplanations: Record<'grad', StrategyExplanation> = {
  grad: {
    summary: 'Greedy nudged towards token transitions seen in passages retrieved for the prompt.',
    formula: (
      <>
        <i>g</i>(<i>v</i>) = <i>E</i>(<i>u</i>→<i>v</i>) / max<sub>w</sub> <i>E</i>(<i>u</i>→<i>w</i>) from a transition graph of the BM25-retrieved passages (
        <i>u</i> = last token); variant A: <i>z</i>′ = <i>z</i> + λ·<i>H</i>
        <sub>n</sub>·<i>S</i>·<i>g</i>; <i>x</i>
        <sub>t</sub> = argmax <i>z</i>′.
      </>
    ),
    keyParams: ['variant', 'lambda', 'topN', 'corpusName'],
    papers: [{ cite: 'Nguyen, Gupta, Do & Le 2025, GRAD: Graph-Retrieved Adaptive Decoding', url: 'https://arxiv.org/abs/2511.03900' }],
    interpretation:
      'Our interpretation: the paper’s fusion equation could not be read, so variants A (adaptive: more graph weight when the model is unsure), B (fixed mix) and C (gated on max p < γ) are our readings of “max-normalised graph logits, adaptively fused”.',
  },
};
