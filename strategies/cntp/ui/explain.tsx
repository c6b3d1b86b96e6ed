/** What the "?" of a CNTP panel explains (docs/algorithms.md#cntp). */
import type { StrategyExplanation } from '../../ui-types';

export const cntpExplanations: Record<'cntp', StrategyExplanation> = {
  cntp: {
    summary: 'Sampling that hesitates: when unsure, tries several continuations and keeps the most fluent.',
    formula: (
      <>
        <i>h</i> = clamp((<i>H</i> − <i>H</i>
        <sub>low</sub>) / (<i>H</i>
        <sub>high</sub> − <i>H</i>
        <sub>low</sub>), 0, 1), <i>N</i> = ⌊1 + (<i>N</i>
        <sub>max</sub> − 1)·<i>h</i>⌋ trials, each sampled up to the next punctuation; keep the trial with the lowest perplexity.
      </>
    ),
    keyParams: ['maxTrials', 'hLow', 'hHigh'],
    papers: [{ cite: 'Wang et al. 2025, Cautious Next Token Prediction', url: 'https://arxiv.org/abs/2507.03038' }],
  },
};
