/** What the "?" of a weak-to-strong panel explains (docs/algorithms.md#w2s; the expert and the KL matching are our interpretation). */
import type { StrategyExplanation } from '../../ui-types';

export const w2sExplanations: Record<'w2s', StrategyExplanation> = {
  w2s: {
    summary: 'Add to the large model the shift an expert context causes in the small model, as far as it moved.',
    formula: (
      <>
        <i>z</i>
        <sub>F</sub>(α) = <i>z</i>
        <sub>L</sub> + α·(<i>z</i>
        <sub>E</sub> − <i>z</i>
        <sub>S</sub>); α* = argmin<sub>α ∈ {'{'}0, 0.1, …, α<sub>max</sub>
        {'}'}
        </sub>{' '}
        | KL(<i>p</i>
        <sub>F(α)</sub> ‖ <i>p</i>
        <sub>L</sub>) − KL(<i>p</i>
        <sub>E</sub> ‖ <i>p</i>
        <sub>S</sub>) |, ties → smaller α; then the processor chain on <i>z</i>
        <sub>F</sub>(α*)
      </>
    ),
    keyParams: ['alpha', 'alphaMax', 'expertPrefix'],
    papers: [{ cite: 'Fan et al. 2024, On Giant’s Shoulders: Effortless Weak to Strong by Dynamic Logits Fusion', url: 'https://arxiv.org/abs/2406.15480' }],
    interpretation:
      'Our interpretation: the per-token KL matching on a 0.1 grid is our reading of the paper’s optimisation, and with no tuned small expert the expert E is the small (draft) model reading the expert prefix before the prompt (its own KV cache); S is the same model on the prompt alone, L the target. The KLs are exact, over the whole vocabulary.',
  },
};
