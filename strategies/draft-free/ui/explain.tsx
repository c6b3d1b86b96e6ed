/** What the "?" of a token-recycling or ADED panel explains (docs/algorithms.md#token-recycling, #aded). */
import type { StrategyExplanation } from '../../ui-types';

const VERIFY = (
  <>
    One target pass over [<i>x</i>, <i>d</i>
    <sub>1..L</sub>] keeps the drafts while <i>d</i>
    <sub>i</sub> = argmax <i>p</i>
    <sub>i</sub> (sampling: with probability <i>p</i>
    <sub>i</sub>(<i>d</i>
    <sub>i</sub>), else a draw from <i>p</i>
    <sub>i</sub> without <i>d</i>
    <sub>i</sub>), then adds the target’s own token.
  </>
);

export const draftFreeExplanations: Record<'token-recycling' | 'aded', StrategyExplanation> = {
  'token-recycling': {
    summary: 'Drafts from a table of the target’s own earlier top-8 candidates; no draft model, same output.',
    formula: (
      <>
        <i>A</i>[<i>u</i>] = top-8 of the raw logits wherever <i>u</i> was fed (every verified position, rejected drafts and the prompt included). Chain: <i>d</i>
        <sub>1</sub> = <i>A</i>[<i>x</i>][0], <i>d</i>
        <sub>i</sub> = <i>A</i>[<i>d</i>
        <sub>i−1</sub>][0]. {VERIFY}
      </>
    ),
    keyParams: ['k', 'temperature'],
    papers: [{ cite: 'Luo et al. 2025, Turning Trash into Treasure: Accelerating Inference of Large Language Models with Token Recycling', url: 'https://arxiv.org/abs/2408.08696' }],
    interpretation:
      'Our interpretation: the chain form only (the paper’s tree needs a tree attention mask our model graphs do not take); unwritten rows start as the prompt’s 8 most frequent tokens; L = 8 by default; sampling verification with a one-hot draft is our extension of the paper’s greedy rule.',
  },
  aded: {
    summary: 'Drafts by tri-gram counts of the prompt and the text so far; no draft model, same output.',
    formula: (
      <>
        <i>d</i>
        <sub>i</sub> = argmax<sub>c</sub> <i>T</i>[(<i>a</i>, <i>b</i>)][<i>c</i>] (bigram <i>B</i>[<i>b</i>] when the tri-gram row is empty; stop when both are), (<i>a</i>, <i>b</i>) ← (<i>b</i>, <i>d</i>
        <sub>i</sub>). {VERIFY} Counts grow with the committed text only.
      </>
    ),
    keyParams: ['k', 'temperature'],
    papers: [{ cite: 'Liu, Lei, Zhang & Xu 2025, Adaptive Draft-Verification for Efficient Large Language Model Decoding (ADED)', url: 'https://arxiv.org/abs/2407.12021' }],
    interpretation:
      'Our interpretation: only the paper’s summary was available. Chain drafting by the largest count (ties to the lower id) replaces its MCTS tree; the table counts the prompt and committed tokens, without the optional model-distilled update; no eviction.',
  },
};
