/** Speculative and prompt-lookup tokens: accepted / resampled / bonus, and the iteration's drafts. */
import { speculativeView } from './speculative-view';
import { SpeculativeDetail } from './SpeculativeDetail';
import type { StrategyUi } from '../../ui-types';
import { speculativeExplanations } from './explain';
import { draftFreeExplanations } from '../../draft-free/ui/explain';

export const speculativeUi: StrategyUi<'draft-accepted' | 'resampled' | 'bonus' | 'target-step'> = {
  kind: 'speculative',
  strategies: ['speculative', 'prompt-lookup', 'token-recycling', 'aded'],
  provenance: {
    'draft-accepted': { color: '#009E73', label: 'Draft accepted' },
    resampled: { color: '#D55E00', label: 'Resampled after a rejected draft' },
    bonus: { color: '#0072B2', label: 'Bonus (every draft accepted)' },
    'target-step': { color: '#D4D4D8', label: 'Target step, nothing drafted' },
  },
  provenanceOf(a) {
    const v = speculativeView(a);
    if (!v) return null;
    if (v.drafted === 0) return 'target-step';
    return v.fate === 'accepted' ? 'draft-accepted' : v.fate;
  },
  explanations: { ...speculativeExplanations, ...draftFreeExplanations },
  Detail({ token, tokens, index, texts }) {
    const v = speculativeView(token.annotations);
    return v && <SpeculativeDetail view={v} tokens={tokens} index={index} texts={texts} />;
  },
};
