/** DoLa detail: the divergence of each candidate layer (the chosen one marked), the contrast, and what the premature layer predicted. */
import type { DolaView } from './dola-view';
import { formatProb, visibleTokenText } from '../../../app/format';
import { ProbBars } from '../../../app/components/detail/ProbBars';

/** Detail section for a DoLa token; `texts` names ids seen in the run. */
export function DolaDetail({ view, chosen, texts }: { view: DolaView; chosen: number; texts: ReadonlyMap<number, string> }) {
  const name = (id: number) => visibleTokenText(texts.get(id) ?? `#${id}`);
  const maxDiv = Math.max(...view.candidates.map((c) => c.divergence ?? 0), 1e-12);
  return (
    <section className="detail" data-testid="popover-detail" aria-label="DoLa detail">
      <p className="detail-title" data-testid="dola-premature">
        Contrasted layer {view.mature} (output) with layer {view.premature}
        {view.departed ? ` · changed the model’s own pick “${name(view.modelGreedy)}”` : ' · same as the model’s own pick'}
      </p>
      <dl className="popover-stats">
        <dt>p at the output layer</dt>
        <dd data-testid="dola-p-mature">{formatProb(view.matureProb)}</dd>
        <dt>p at layer {view.premature}</dt>
        <dd data-testid="dola-p-premature">{formatProb(view.prematureProb)}</dd>
        <dt>Plausible tokens (α = {view.alpha})</dt>
        <dd data-testid="dola-plausible">{view.plausible}</dd>
      </dl>
      {view.candidates.length > 1 ? (
        <>
          <p className="popover-caption">Divergence of each candidate layer from the output (DoLa code’s form; textbook JSD in brackets)</p>
          <ol className="alternatives">
            {view.candidates.map((c) => (
              <li key={c.layer} className={c.layer === view.premature ? 'alt chosen' : 'alt'} data-testid="dola-layer" data-layer={c.layer} aria-current={c.layer === view.premature || undefined}>
                <span className="alt-text">layer {c.layer}</span>
                <span className="alt-bar" aria-hidden="true">
                  <span style={{ width: `${((c.divergence ?? 0) / maxDiv) * 100}%` }} />
                </span>
                <span className="alt-prob">
                  {c.divergence === null ? '—' : `${c.divergence.toExponential(2)} [${(c.jsd ?? 0).toFixed(3)}]`}
                  {c.layer === view.premature ? ' (chosen)' : ''}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="hint">One candidate layer: it is contrasted without computing a divergence.</p>
      )}
      {view.scores.length > 0 && (
        <>
          <p className="popover-caption">Top contrast scores log p_output − log p_layer{view.sampled ? ' (drawn from their softmax)' : ''}</p>
          <ol className="alternatives" data-testid="dola-scores">
            {view.scores.map((s) => (
              <li key={s.id} className={s.id === chosen ? 'alt chosen' : 'alt'}>
                <span className="alt-text">{name(s.id)}</span>
                <span aria-hidden="true" />
                <span className="alt-prob">{s.score.toFixed(3)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {view.prematureTop.length > 0 && (
        <>
          <p className="popover-caption">What layer {view.premature} alone predicts (its logit lens)</p>
          <ProbBars rows={view.prematureTop.map((t) => ({ key: t.id, label: visibleTokenText(t.text), value: t.prob, highlight: t.id === chosen }))} testId="dola-premature-top" />
        </>
      )}
    </section>
  );
}
