/** EAD tokens: which model wrote each one (provenance), and the entropy behind the switches. */
import { eadView } from './ead-view';
import { EadDetail } from './EadDetail';
import type { StrategyUi } from '../../ui-types';
import { eadExplanations } from './explain';

export const eadUi: StrategyUi<'ead-draft' | 'ead-target'> = {
  kind: 'ead',
  strategies: ['ead'],
  provenance: {
    'ead-draft': { color: '#56B4E9', label: 'Written by the draft (small) model' },
    'ead-target': { color: '#D55E00', label: 'Written by the target (large) model' },
  },
  provenanceOf(a) {
    const v = eadView(a);
    return v ? (v.model === 'target' ? 'ead-target' : 'ead-draft') : null;
  },
  explanations: eadExplanations,
  Detail({ token, tokens, index }) {
    const v = eadView(token.annotations);
    if (!v) return null;
    const upTo = tokens.slice(0, index + 1);
    return <EadDetail view={v} upTo={{ target: upTo.filter((t) => eadView(t.annotations)?.model === 'target').length, all: upTo.length }} />;
  },
};
