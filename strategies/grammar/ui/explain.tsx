/** What the "?" of a grammar panel explains (docs/algorithms.md#grammar). */
import type { StrategyExplanation } from '../../ui-types';

export const grammarExplanations: Record<'grammar', StrategyExplanation> = {
  grammar: {
    summary: 'Only tokens that keep the text a valid prefix of a regex; ASAp corrects the masking bias by sampling.',
    formula: (
      <>
        GCD: <i>z</i>′(<i>t</i>) = <i>z</i>(<i>t</i>) if <i>t</i> ∈ allowed(<i>s</i>) else −∞; ASAp: <i>q</i>(<i>t</i>) ∝ <i>p</i>(<i>t</i>|<i>w</i>)·θ̂(<i>w</i>
        ,<i>t</i>), θ̂(<i>w</i>,<i>t</i>) ← Σ
        <sub>
          <i>t</i>′
        </sub>{' '}
        <i>p</i>(<i>t</i>′|<i>wt</i>)·θ̂(<i>wt</i>,<i>t</i>′)
      </>
    ),
    keyParams: ['regex', 'jsonSchema', 'asap', 'samples', 'temperature'],
    papers: [{ cite: 'Park et al. 2024, Grammar-Aligned Decoding (NeurIPS)', url: 'https://arxiv.org/abs/2405.21047' }],
    interpretation:
      'Our interpretation: the regex → DFA → token automaton is our construction (a practical regex subset, whole-output match); ASAp’s update is restated from the paper’s description (its code was not read); ASAp’s p is softmax(z/T) of the raw logits (the chain’s penalties and top-k/top-p/min-p do not apply to ASAp: a warper would cut EOS and the mass θ̂ needs); outputs are limited to max tokens (a truncated sample counts as ungrammatical); byte tokens count as their character when it is complete (ASCII), else are never allowed.',
  },
};
