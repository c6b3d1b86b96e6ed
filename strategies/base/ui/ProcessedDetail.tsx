/** Processor-chain detail: the chosen token in the processed (warped) distribution. */
import type { ProcessedView } from './processed-view';
import { formatNats, formatProb } from '../../../app/format';

/** Detail section for a token chosen from a processed distribution (sampling, greedy with a penalty). */
export function ProcessedDetail({ view }: { view: ProcessedView }) {
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Processed distribution detail">
      <p className="detail-title">After the processors (temperature, top-k, top-p, min-p, penalty)</p>
      <dl className="popover-stats">
        <dt>Processed p</dt>
        <dd data-testid="processed-prob">{formatProb(view.processedProb)}</dd>
        {view.processedEntropy !== null && (
          <>
            <dt>Processed entropy</dt>
            <dd>{formatNats(view.processedEntropy)}</dd>
          </>
        )}
        {view.kept !== null && (
          <>
            <dt>Tokens kept</dt>
            <dd>{view.kept}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
