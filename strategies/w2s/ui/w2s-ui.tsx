/** Weak-to-strong tokens: fusion flipped the large model's pick, or agreed with it; α*, κ and the four distributions. */
import { w2sView } from './w2s-view';
import { W2sDetail } from './W2sDetail';
import type { StrategyUi } from '../../ui-types';
import { w2sExplanations } from './explain';

export const w2sUi: StrategyUi<'w2s-flipped' | 'w2s-agreed'> = {
  kind: 'w2s',
  strategies: ['w2s'],
  provenance: {
    'w2s-flipped': { color: '#F0E442', label: 'Fusion flipped the large model’s pick' },
    'w2s-agreed': { color: '#D4D4D8', label: 'Fusion agreed with the large model' },
  },
  provenanceOf(a) {
    const v = w2sView(a);
    return v ? (v.provenance === 'flipped' ? 'w2s-flipped' : 'w2s-agreed') : null;
  },
  explanations: w2sExplanations,
  Detail({ token, tokens, index }) {
    const v = w2sView(token.annotations);
    if (!v) return null;
    const views = tokens.slice(0, index + 1).map((t) => w2sView(t.annotations));
    const trace = { alphas: views.map((x) => x?.alpha ?? 0), kappas: views.map((x) => x?.kappa ?? 0) };
    return <W2sDetail view={v} chosen={token.id} trace={trace} />;
  },
};
