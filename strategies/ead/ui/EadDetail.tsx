/** EAD detail: which model wrote the token, the entropy the switch rule read, and a switch after it. */
import type { EadView } from './ead-view';
import { formatProb } from '../../../app/format';

const bits = (x: number) => `${x.toFixed(2)} bits`;

/** `upTo`: how many of the panel's tokens so far (this one included) each model wrote. */
export function EadDetail({ view, upTo }: { view: EadView; upTo: { target: number; all: number } }) {
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Entropy-adaptive decoding detail">
      <p className="detail-title" data-testid="ead-model">
        Written by the {view.model === 'target' ? 'target (large) model' : 'draft (small) model'}
      </p>
      <dl className="popover-stats">
        <dt>Its p (processed)</dt>
        <dd>{formatProb(view.processedProb)}</dd>
        <dt>Entropy here</dt>
        <dd>{bits(view.entropyBits)}</dd>
        <dt>Mean over the window</dt>
        <dd data-testid="ead-mean">{bits(view.meanEntropyBits)}</dd>
        <dt>Tokens since the switch</dt>
        <dd>{view.dwell}</dd>
        <dt>Target’s share so far</dt>
        <dd data-testid="ead-share">
          {upTo.target} of {upTo.all} tokens ({((100 * upTo.target) / Math.max(1, upTo.all)).toFixed(0)} %)
        </dd>
        {view.catchUp > 0 && (
          <>
            <dt>Catch-up fed</dt>
            <dd>{view.catchUp} tokens the other model wrote</dd>
          </>
        )}
      </dl>
      {view.switchTo && (
        <p data-testid="ead-switch">
          Switch: the {view.switchTo} model writes the next token ({view.switchTo === 'target' ? 'the mean rose above the threshold' : 'the mean fell to the lower threshold'}).
        </p>
      )}
    </section>
  );
}
