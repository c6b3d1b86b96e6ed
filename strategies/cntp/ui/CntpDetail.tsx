/** CNTP detail: the step's trial count and, at a cautious step, every trial with its perplexity. */
import type { TokenRecord } from '../../../protocol';
import { cntpView, type CntpView } from './cntp-view';
import { visibleTokenText } from '../../../app/format';

interface Props {
  view: CntpView;
  tokens: readonly TokenRecord[];
  index: number;
}

/** The step head (first token, carrying the trials) of the step `index` belongs to. */
function stepHead(tokens: readonly TokenRecord[], index: number, step: number): CntpView | null {
  for (let i = index; i >= 0; i--) {
    const v = cntpView(tokens[i]?.annotations ?? {});
    if (!v || v.step !== step) return null;
    if (v.trialToken === 0) return v;
  }
  return null;
}

/** Detail section for a CNTP token. */
export function CntpDetail({ view, tokens, index }: Props) {
  const head = view.trialToken === 0 ? view : stepHead(tokens, index, view.step);
  const trials = head?.trials ?? null;
  return (
    <section className="detail" data-testid="popover-detail" aria-label="CNTP detail">
      <p className="detail-title" data-testid="cntp-n">
        Step {view.step + 1}: N = {view.n} {view.n === 1 ? 'trial (confident: one draw)' : 'trials'}
        {view.trialToken > 0 ? ` · token ${view.trialToken + 1} of the winning trial` : ''}
      </p>
      {head?.processedEntropy !== null && head?.processedEntropy !== undefined && (
        <p className="hint">Entropy of the processed distribution: {head.processedEntropy.toFixed(2)} nats</p>
      )}
      {trials && (
        <ol className="trials">
          {trials.map((t, i) => (
            <li key={i} className={i === head?.winner ? 'trial winner' : 'trial'} data-testid="cntp-trial" aria-current={i === head?.winner || undefined}>
              <span className="mono trial-text">{visibleTokenText(t.text)}</span>
              <span className="trial-ppl">PPL {t.perplexity.toFixed(2)}</span>
              <span className="hint">
                {t.tokens} tok{t.end ? `, ${t.end}` : ''}
                {i === head?.winner ? ' · lowest, kept' : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
