/** Superposed decoding tokens: whether the token came from the draft that was best before the step. */
import { superposedView } from './superposed-view';
import { SuperposedDetail } from './SuperposedDetail';
import type { StrategyUi } from '../../ui-types';
import { superposedExplanations } from './explain';

export const superposedUi: StrategyUi<'superposed-best' | 'superposed-other'> = {
  kind: 'superposed',
  strategies: ['superposed'],
  provenance: {
    'superposed-best': { color: '#0072B2', label: 'Continues the draft that led before the step (superposed)' },
    'superposed-other': { color: '#E69F00', label: 'Continues another draft: the drafts swapped (superposed)' },
  },
  provenanceOf(a) {
    const v = superposedView(a);
    if (!v) return null;
    return v.draft === 0 ? 'superposed-best' : 'superposed-other';
  },
  explanations: superposedExplanations,
  Detail({ token }) {
    const v = superposedView(token.annotations);
    return v && <SuperposedDetail view={v} />;
  },
};
