/** What the "?" of a speculative or prompt-lookup panel explains (docs/algorithms.md#speculative-decoding, #prompt-lookup-decoding). */
import type { StrategyExplanation } from '../../ui-types';

const ACCEPT = (
  <>
    Accept draft <i>d</i>
    <sub>i</sub> if <i>r</i>
    <sub>i</sub> &lt; min(1, <i>p</i>
    <sub>i</sub>(<i>d</i>
    <sub>i</sub>) / <i>q</i>
    <sub>i</sub>(<i>d</i>
    <sub>i</sub>)) (greedy: if <i>d</i>
    <sub>i</sub> = argmax <i>p</i>
    <sub>i</sub>); at the first rejection draw from norm(max(0, <i>p</i>
    <sub>i</sub> − <i>q</i>
    <sub>i</sub>)); if all are accepted, add a bonus token from <i>p</i>
    <sub>L+1</sub>.
  </>
);

export const speculativeExplanations: Record<'speculative' | 'prompt-lookup', StrategyExplanation> = {
  speculative: {
    summary: 'A draft model proposes k tokens; the target checks them in one pass and keeps the agreeing prefix.',
    formula: (
      <>
        The draft proposes <i>d</i>
        <sub>1..k</sub> with probabilities <i>q</i>
        <sub>i</sub>; one target pass gives <i>p</i>
        <sub>1..k+1</sub>. {ACCEPT} Same output (greedy) or same distribution (sampling) as the target alone.
      </>
    ),
    keyParams: ['k', 'schedule', 'temperature'],
    papers: [
      { cite: 'Leviathan, Kalman & Matias 2023, Fast Inference from Transformers via Speculative Decoding', url: 'https://arxiv.org/abs/2211.17192' },
      { cite: 'Chen et al. 2023, Accelerating LLM Decoding with Speculative Sampling', url: 'https://arxiv.org/abs/2302.01318' },
    ],
  },
  'prompt-lookup': {
    summary: 'Copies what followed an earlier match of the last n-gram as the draft; no draft model.',
    formula: (
      <>
        Find the earliest earlier occurrence of the last <i>n</i> tokens (<i>n</i> = ngram … 1) and copy up to <i>k</i> tokens after it as drafts with <i>q</i>
        <sub>i</sub>(<i>d</i>
        <sub>i</sub>) = 1. {ACCEPT}
      </>
    ),
    keyParams: ['k', 'ngram'],
    papers: [{ cite: 'Saxena 2023, Prompt Lookup Decoding', url: 'https://github.com/apoorvumang/prompt-lookup-decoding' }],
  },
};
