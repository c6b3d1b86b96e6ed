/** Multi-draft tokens: an accepted draft (from the accepted chain) or the target's own token; roots, stages and chains. */
import { multiDraftView } from './multi-draft-view';
import { MultiDraftDetail } from './MultiDraftDetail';
import type { StrategyUi } from '../../ui-types';
import { multiDraftExplanations } from './explain';

export const multiDraftUi: StrategyUi<'md-draft' | 'md-target'> = {
  kind: 'multi-draft',
  strategies: ['multi-draft'],
  provenance: {
    'md-draft': { color: '#56B4E9', label: 'Accepted draft (from one of the chains)' },
    'md-target': { color: '#E69F00', label: 'Target token (residual or bonus)' },
  },
  provenanceOf(a) {
    const v = multiDraftView(a);
    return v ? (v.fate === 'accepted' ? 'md-draft' : 'md-target') : null;
  },
  explanations: multiDraftExplanations,
  Detail({ token, tokens, index, texts }) {
    const v = multiDraftView(token.annotations);
    return v && <MultiDraftDetail view={v} tokens={tokens} index={index} texts={texts} />;
  },
};
