/** GRAD tokens: flipped by the graph or not, and the graph row of the previous token. */
import { gradView } from './grad-view';
import { GradDetail } from './GradDetail';
import type { StrategyUi } from '../../ui-types';
import { gradExplanations } from './explain';

export const gradUi: StrategyUi<'graph-flipped' | 'graph-unchanged' | 'graph-none'> = {
  kind: 'grad',
  strategies: ['grad'],
  provenance: {
    'graph-flipped': { color: '#CC79A7', label: 'Flipped by the graph' },
    'graph-unchanged': { color: '#D4D4D8', label: 'Graph agreed with the model' },
    'graph-none': { color: '#F4F4F5', label: 'No graph row for the previous token' },
  },
  provenanceOf(a) {
    const v = gradView(a);
    if (!v) return null;
    return v.provenance === 'flipped by graph' ? 'graph-flipped' : v.provenance === 'unchanged' ? 'graph-unchanged' : 'graph-none';
  },
  explanations: gradExplanations,
  Detail({ token, texts }) {
    const v = gradView(token.annotations);
    return v && <GradDetail view={v} chosen={token.id} texts={texts} />;
  },
};
