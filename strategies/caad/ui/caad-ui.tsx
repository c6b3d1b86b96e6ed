/** CAAD tokens: flipped by retrieval or not, and what was retrieved. */
import { caadView } from './caad-view';
import { CaadDetail } from './CaadDetail';
import type { StrategyUi } from '../../ui-types';
import { caadExplanations } from './explain';

export const caadUi: StrategyUi<'retrieval-flipped' | 'retrieval-agreed' | 'retrieval-none'> = {
  kind: 'caad',
  strategies: ['caad'],
  provenance: {
    'retrieval-flipped': { color: '#009E73', label: 'Flipped by retrieval' },
    'retrieval-agreed': { color: '#D4D4D8', label: 'Retrieval agreed with the model' },
    'retrieval-none': { color: '#F4F4F5', label: 'No retrieval (no neighbour ≥ σ_min, or λ = 0)' },
  },
  provenanceOf(a) {
    const v = caadView(a);
    if (!v) return null;
    return v.provenance === 'flipped by retrieval' ? 'retrieval-flipped' : v.provenance === 'agreed' ? 'retrieval-agreed' : 'retrieval-none';
  },
  explanations: caadExplanations,
  Detail({ token }) {
    const v = caadView(token.annotations);
    return v && <CaadDetail view={v} chosen={token.id} />;
  },
};
