/** Beam search tokens: whether the output led the search at each step, and the step's candidates. */
import { beamView } from './beam-view';
import { BeamDetail } from './BeamDetail';
import type { StrategyUi } from '../../ui-types';
import { beamExplanations } from './explain';

export const beamUi: StrategyUi<'beam-leading' | 'beam-behind'> = {
  kind: 'beam',
  strategies: ['beam'],
  provenance: {
    'beam-leading': { color: '#0072B2', label: 'Beam: the output led the search here' },
    'beam-behind': { color: '#F0E442', label: 'Beam: the output was behind another beam here' },
  },
  provenanceOf(a) {
    const v = beamView(a);
    return v ? (v.rank === 0 ? 'beam-leading' : 'beam-behind') : null;
  },
  explanations: beamExplanations,
  Detail({ token }) {
    const v = beamView(token.annotations);
    return v && <BeamDetail view={v} chosen={token.id} />;
  },
};
