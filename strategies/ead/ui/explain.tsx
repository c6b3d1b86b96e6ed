/** What the "?" of an EAD panel explains (docs/algorithms.md#ead; the defaults are our interpretation). */
import type { StrategyExplanation } from '../../ui-types';

export const eadExplanations: Record<'ead', StrategyExplanation> = {
  ead: {
    summary: 'The small model writes while it is sure; the large one takes over while it is not.',
    formula: (
      <>
        <i>H</i>
        <sub>t</sub> = −Σ<sub>v</sub> <i>p</i>
        <sub>t</sub>(<i>v</i>) log<sub>2</sub> <i>p</i>
        <sub>t</sub>(<i>v</i>) of the active model; <i>H̄</i>
        <sub>t</sub> = mean of the last <i>w</i>; after ≥ <i>d</i>
        <sub>min</sub> tokens: draft → target when <i>H̄</i>
        <sub>t</sub> &gt; τ, target → draft when <i>H̄</i>
        <sub>t</sub> ≤ τ<sub>down</sub>.
      </>
    ),
    keyParams: ['threshold', 'thresholdDown', 'window', 'minDwell', 'start'],
    papers: [{ cite: 'Simonds 2025, Entropy Adaptive Decoding: Dynamic Model Switching for Efficient Inference', url: 'https://arxiv.org/abs/2502.06833' }],
    interpretation: 'Our interpretation: the paper’s defaults could not be read, so the window (5), the minimum dwell (5), starting with the draft and the separate switch-down threshold are our choices.',
  },
};
