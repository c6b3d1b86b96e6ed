/** What the "?" of a multi-draft panel explains (docs/algorithms.md#multi-draft). */
import type { StrategyExplanation } from '../../ui-types';

export const multiDraftExplanations: Record<'multi-draft', StrategyExplanation> = {
  'multi-draft': {
    summary: 'Several draft chains with different first tokens, all checked in one target pass (recursive rejection).',
    formula: (
      <>
        The draft picks <i>K</i> distinct first tokens <i>c</i>
        <sup>1..K</sup> from <i>q</i> without replacement and extends each to a chain of <i>k</i> tokens; one batched target pass scores every chain. Root: accept <i>c</i>
        <sup>i</sup> if <i>r</i>
        <sub>i</sub> &lt; min(1, <i>p</i>
        <sub>i</sub>(<i>c</i>
        <sup>i</sup>) / <i>q</i>
        <sub>i</sub>(<i>c</i>
        <sup>i</sup>)), else go on with <i>p</i>
        <sub>i+1</sub> = norm(max(0, <i>p</i>
        <sub>i</sub> − <i>q</i>
        <sub>i</sub>)) and <i>q</i>
        <sub>i+1</sub> = <i>q</i>
        <sub>i</sub> without <i>c</i>
        <sup>i</sup>; if all are rejected draw from <i>p</i>
        <sub>K+1</sub> (greedy: accept the candidate equal to argmax <i>p</i>). The accepted chain then continues as single-draft speculative decoding. Same output (greedy) or same distribution (sampling) as the target alone.
      </>
    ),
    keyParams: ['drafts', 'k', 'temperature'],
    papers: [
      { cite: 'Jeon et al. 2024, Recursive Speculative Decoding: Accelerating LLM Inference via Sampling Without Replacement', url: 'https://arxiv.org/abs/2402.14160' },
      { cite: 'Leviathan, Kalman & Matias 2023, Fast Inference from Transformers via Speculative Decoding', url: 'https://arxiv.org/abs/2211.17192' },
    ],
  },
};
