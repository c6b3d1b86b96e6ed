/** DoLa tokens: which layer was contrasted, and whether the contrast changed the model's own pick. */
import { dolaView } from './dola-view';
import { DolaDetail } from './DolaDetail';
import type { StrategyUi } from '../../ui-types';
import { dolaExplanations } from './explain';

export const dolaUi: StrategyUi<'dola-changed' | 'dola-agreed'> = {
  kind: 'dola',
  strategies: ['dola'],
  provenance: {
    'dola-changed': { color: '#009E73', label: 'Changed by the layer contrast (DoLa)' },
    'dola-agreed': { color: '#CFE8DF', label: 'DoLa kept the model’s own pick' },
  },
  provenanceOf(a) {
    const v = dolaView(a);
    if (!v) return null;
    return v.departed ? 'dola-changed' : 'dola-agreed';
  },
  explanations: dolaExplanations,
  Detail({ token, texts }) {
    const v = dolaView(token.annotations);
    return v && <DolaDetail view={v} chosen={token.id} texts={texts} />;
  },
};
