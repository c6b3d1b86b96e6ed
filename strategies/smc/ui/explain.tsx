/** What the "?" of an SMC panel explains (docs/algorithms.md#smc; the browser rewards are our interpretation). */
import type { StrategyExplanation } from '../../ui-types';

export const smcExplanations: Record<'smc', StrategyExplanation> = {
  smc: {
    summary: 'N sampled texts carried together, weighted by a reward and resampled when the weights get uneven.',
    formula: (
      <>
        π(<i>y</i>) ∝ Π<sub>t</sub> <i>p</i>
        <sub>T</sub>(<i>y</i>
        <sub>t</sub>|<i>y</i>
        <sub>&lt;t</sub>)<sup>α</sup> · e<sup><i>R</i>(<i>y</i>)</sup>; per token <i>w</i> += α log <i>p</i>
        <sub>T</sub>(<i>y</i>) − log <i>q</i>(<i>y</i>) + <i>r</i>
        <sub>t</sub> − <i>r</i>
        <sub>t−1</sub>; resample when ESS = (Σe<sup>w</sup>)² / Σe<sup>2w</sup> &lt; threshold · <i>N</i>.
      </>
    ),
    keyParams: ['particles', 'reward', 'rewardText', 'essThreshold', 'temperature'],
    papers: [
      { cite: 'Markovic-Voronov et al. 2026, Sampling for Quality: Training-Free Reward-Guided LLM Decoding via Sequential Monte Carlo', url: 'https://arxiv.org/abs/2604.16453' },
      { cite: 'Lew et al. 2023, Sequential Monte Carlo Steering of Large Language Models using Probabilistic Programs', url: 'https://arxiv.org/abs/2306.03081' },
    ],
    interpretation:
      'Our interpretation: the paper uses a reward model; here the rewards are browser ones (keywords +1 each, a forbidden regex = weight 0, a target length at the end), token-level (B = 1), the proposal is the target or the draft at temperature 1/α, no MH rejuvenation, and the output is the highest-weight completion (copies made by resampling pool their weights).',
  },
};
