/** What the "?" of a DoLa panel explains (docs/algorithms.md#dola). */
import type { StrategyExplanation } from '../../ui-types';

export const dolaExplanations: Record<'dola', StrategyExplanation> = {
  dola: {
    summary: 'Contrast the output layer with an earlier layer, to favour what the last layers add.',
    formula: (
      <>
        <i>m</i> = argmax<sub>j∈J</sub> JSD(<i>q</i>
        <sub>L</sub> ‖ <i>q</i>
        <sub>j</sub>); <i>F</i>(<i>v</i>) = log <i>q</i>
        <sub>L</sub>(<i>v</i>) − log <i>q</i>
        <sub>m</sub>(<i>v</i>) where <i>q</i>
        <sub>L</sub>(<i>v</i>) ≥ α · max <i>q</i>
        <sub>L</sub>, else −∞; <i>q</i>
        <sub>j</sub> = softmax(LM head(norm(<i>h</i>
        <sub>j</sub>)))
      </>
    ),
    keyParams: ['layers', 'alpha', 'repetitionPenalty'],
    papers: [{ cite: 'Chuang et al. 2024, DoLa: Decoding by Contrasting Layers Improves Factuality in Large Language Models (ICLR)', url: 'https://arxiv.org/abs/2309.03883' }],
    interpretation:
      'Our interpretation: the early layers go through the final norm before the LM head (as the original DoLa code; Hugging Face skips the norm), the layer is chosen per panel, and the repetition penalty (1.2) applies to both layers’ logits before the contrast, as in our contrastive decoding (Hugging Face applies it to the contrast scores).',
  },
};
