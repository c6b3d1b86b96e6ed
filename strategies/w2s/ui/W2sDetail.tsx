/** Weak-to-strong detail: α*, κ and the KL it matched, whether fusion flipped the large model's pick, and the four top lists. */
import type { W2sView } from './w2s-view';
import type { W2sEntry } from '../annotations';
import { formatProb, visibleTokenText } from '../../../app/format';
import { ProbBars } from '../../../app/components/detail/ProbBars';

const nats = (x: number) => `${x.toFixed(4)} nats`;

/** A small line of α* (and κ) over the panel's tokens so far: the last point is this token. */
function Trace({ alphas, kappas }: { alphas: number[]; kappas: number[] }) {
  if (alphas.length < 2) return null;
  const w = 160;
  const h = 36;
  const top = Math.max(1e-9, ...alphas, ...kappas);
  const path = (ys: number[]) => ys.map((y, i) => `${i === 0 ? 'M' : 'L'}${((i / (ys.length - 1)) * w).toFixed(1)},${(h - (y / top) * h).toFixed(1)}`).join(' ');
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label="α* (solid) and κ (dashed) over the tokens so far" data-testid="w2s-trace">
      <path d={path(alphas)} fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d={path(kappas)} fill="none" stroke="currentColor" strokeWidth="1" strokeDasharray="3 2" opacity="0.6" />
    </svg>
  );
}

function Top({ caption, rows, chosen, testId }: { caption: string; rows: W2sEntry[]; chosen: number; testId: string }) {
  if (rows.length === 0) return null;
  return (
    <>
      <p className="popover-caption">{caption}</p>
      <ProbBars rows={rows.map((r) => ({ key: r.id, label: visibleTokenText(r.text), value: r.p, highlight: r.id === chosen }))} testId={testId} format={formatProb} />
    </>
  );
}

/** Detail section for a weak-to-strong token; `trace` holds α* and κ of the panel's tokens up to this one. */
export function W2sDetail({ view, chosen, trace }: { view: W2sView; chosen: number; trace: { alphas: number[]; kappas: number[] } }) {
  const flipped = view.provenance === 'flipped';
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Weak-to-strong fusion detail">
      <p className="detail-title" data-testid="w2s-provenance">
        {flipped ? (
          <>
            <span className="badge" data-testid="w2s-flipped-badge">
              fusion flipped
            </span>{' '}
            The large model alone {view.sampled ? '(same draw)' : ''} picks “{visibleTokenText(view.largeChoice.text)}”, p = {formatProb(view.largeChoice.prob)}
          </>
        ) : (
          'The large model’s own pick; the fusion agreed'
        )}
      </p>
      <dl className="popover-stats">
        <dt>{view.dynamic ? 'α* (KL-matched)' : 'α (fixed)'}</dt>
        <dd data-testid="w2s-alpha">{view.alpha.toFixed(1)}</dd>
        <dt>κ = KL(E ‖ S)</dt>
        <dd data-testid="w2s-kappa">{nats(view.kappa)}</dd>
        <dt>KL(F(α) ‖ L)</dt>
        <dd data-testid="w2s-kl">{nats(view.kl)}</dd>
        <dt>p after fusion (processed)</dt>
        <dd>{formatProb(view.processedProb)}</dd>
        {view.expertContext && (
          <>
            <dt>Expert context</dt>
            <dd>{view.expertContext.sharesSmall ? 'none: E is S (Δ = 0)' : `${view.expertContext.tokens} tokens (prefix + prompt)`}</dd>
          </>
        )}
      </dl>
      <Trace alphas={trace.alphas} kappas={trace.kappas} />
      <Top caption="Fused z_L + α·(z_E − z_S)" rows={view.top.fused} chosen={chosen} testId="w2s-top-fused" />
      <Top caption="Large model L (target)" rows={view.top.large} chosen={chosen} testId="w2s-top-large" />
      <Top caption="Expert E (small model after the expert prefix)" rows={view.top.expert} chosen={chosen} testId="w2s-top-expert" />
      <Top caption="Small model S (draft, prompt only)" rows={view.top.small} chosen={chosen} testId="w2s-top-small" />
    </section>
  );
}
