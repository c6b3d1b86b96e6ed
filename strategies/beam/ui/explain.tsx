/** What the "?" of a beam search panel explains (docs/algorithms.md#beam-search). */
import type { StrategyExplanation } from '../../ui-types';

export const beamExplanations: Record<'beam', StrategyExplanation> = {
  beam: {
    summary: 'Keep the few most probable partial texts instead of one, and return the best finished one.',
    formula: (
      <>
        <i>S</i>(<i>y</i>) = Σ<sub>t</sub> log <i>p</i>(<i>y</i>
        <sub>t</sub> | <i>y</i>
        <sub>&lt;t</sub>); each step keeps the <i>B</i> best extensions; finished texts rank by <i>S</i> / ℓ<sup>λ</sup>; groups subtract δ × (times an earlier group chose the token this step).
      </>
    ),
    keyParams: ['numBeams', 'lengthPenalty', 'earlyStopping', 'numBeamGroups', 'diversityPenalty'],
    papers: [
      { cite: 'Hugging Face transformers, beam search (generation/utils.py)', url: 'https://huggingface.co/docs/transformers/generation_strategies' },
      { cite: 'Vijayakumar et al. 2016, Diverse Beam Search', url: 'https://arxiv.org/abs/1610.02424' },
    ],
  },
};
