/** CNTP tokens: from a winning trial or a single draw, and the step's trials. */
import { cntpView } from './cntp-view';
import { CntpDetail } from './CntpDetail';
import type { StrategyUi } from '../../ui-types';
import { cntpExplanations } from './explain';

export const cntpUi: StrategyUi<'trial-winner' | 'single-draw'> = {
  kind: 'cntp',
  strategies: ['cntp'],
  provenance: {
    'trial-winner': { color: '#E69F00', label: 'From the winning trial' },
    'single-draw': { color: '#D4D4D8', label: 'One draw (entropy low, N = 1)' },
  },
  provenanceOf(a) {
    const v = cntpView(a);
    return !v ? null : v.n > 1 ? 'trial-winner' : 'single-draw';
  },
  explanations: cntpExplanations,
  Detail({ token, tokens, index }) {
    const v = cntpView(token.annotations);
    return v && <CntpDetail view={v} tokens={tokens} index={index} />;
  },
};
