/** Greedy and sampling tokens: the strategy's own pick, and the processed distribution's view of it. */
import { processedView } from './processed-view';
import { ProcessedDetail } from './ProcessedDetail';
import type { StrategyUi } from '../../ui-types';
import { baseExplanations } from './explain';

export const processedUi: StrategyUi<'plain'> = {
  kind: 'processed',
  strategies: ['greedy', 'sample'],
  provenance: { plain: { color: '#F4F4F5', label: 'The strategy’s own pick (greedy, sampling)' } },
  provenanceOf: () => 'plain',
  explanations: baseExplanations,
  Detail({ token }) {
    const v = processedView(token.annotations);
    return v && <ProcessedDetail view={v} />;
  },
};
