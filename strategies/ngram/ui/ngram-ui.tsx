/** n-gram injection tokens: flipped by the style prior or not, and what the prior wanted. */
import { ngramView } from './ngram-view';
import { NgramDetail } from './NgramDetail';
import type { StrategyUi } from '../../ui-types';
import { ngramExplanations } from './explain';

export const ngramUi: StrategyUi<'style-flipped' | 'style-agreed' | 'style-none'> = {
  kind: 'ngram',
  strategies: ['ngram'],
  provenance: {
    'style-flipped': { color: '#E69F00', label: 'Flipped by the style prior' },
    'style-agreed': { color: '#D4D4D8', label: 'Style prior agreed with the model' },
    'style-none': { color: '#F4F4F5', label: 'No style term (λ = 0)' },
  },
  provenanceOf(a) {
    const v = ngramView(a);
    if (!v) return null;
    return v.provenance === 'flipped by style' ? 'style-flipped' : v.provenance === 'model choice' ? 'style-agreed' : 'style-none';
  },
  explanations: ngramExplanations,
  Detail({ token }) {
    const v = ngramView(token.annotations);
    return v && <NgramDetail view={v} chosen={token.id} />;
  },
};
