/** SMC tokens: whether the particles were resampled after the token's step, the step's particles, the final weighted set. */
import { smcView, stepsFromViews } from './smc-view';
import { SmcDetail } from './SmcDetail';
import type { StrategyUi } from '../../ui-types';
import { smcExplanations } from './explain';

export const smcUi: StrategyUi<'smc-resampled' | 'smc-kept'> = {
  kind: 'smc',
  strategies: ['smc'],
  provenance: {
    'smc-resampled': { color: '#D55E00', label: 'SMC: the particles were resampled after this token' },
    'smc-kept': { color: '#009E73', label: 'SMC: no resampling after this token' },
  },
  provenanceOf(a) {
    const v = smcView(a);
    return v ? (v.ancestors ? 'smc-resampled' : 'smc-kept') : null;
  },
  explanations: smcExplanations,
  Detail({ token, tokens, index }) {
    const v = smcView(token.annotations);
    if (!v) return null;
    const steps = stepsFromViews(tokens.slice(0, index + 1).map((t) => smcView(t.annotations)));
    return <SmcDetail view={v} steps={steps} />;
  },
};
