/** SMC detail: the step that drew the token (ESS, resampling, each particle's token and weight), and on the last token the final weighted set. */
import type { SmcCompletion } from '../annotations';
import type { SmcView } from './smc-view';
import { SmcLineage } from './SmcLineage';
import type { SmcLiveStep } from '../annotations';

function signed(x: number, digits = 3): string {
  if (x === -Infinity) return '−∞';
  return x.toFixed(digits).replace('-', '−');
}

function oneLine(text: string): string {
  const t = text.replace(/\r?\n/g, '↵').replace(/\t/g, '→');
  return t.length > 80 ? `${t.slice(0, 80)}…` : t;
}

/** Particles with their weights, best first. */
export function CompletionList({ items, caption }: { items: readonly SmcCompletion[]; caption: string }) {
  return (
    <>
      <p className="popover-caption">{caption}</p>
      <ol className="smc-completions" data-testid="smc-completions">
        {items.map((c) => (
          <li key={c.particle} data-state={c.state} data-output={c.output || undefined}>
            <span className="live-score">
              #{c.particle + 1} {(100 * c.weight).toFixed(1)} % · log w {signed(c.logw, 2)} · r {signed(c.reward, 2)}
              {c.state === 'dead' ? ' · forbidden' : c.state === 'finished' ? ' · ended' : ''}
              {c.output ? ' · output' : ''}
            </span>{' '}
            <span className="live-text">{c.text === '' ? '∅' : oneLine(c.text)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

export function SmcDetail({ view, steps }: { view: SmcView; steps: SmcLiveStep[] | null }) {
  const resampled = view.ancestors !== undefined;
  return (
    <section className="detail" data-testid="popover-detail" aria-label="SMC detail">
      <p className="detail-title" data-testid="smc-step">
        Step {view.step + 1}: drawn by particle {view.lane + 1} of {view.particles}
      </p>
      <dl className="popover-stats">
        <dt>log p_T of the token</dt>
        <dd>{signed(view.lp)}</dd>
        <dt>log q ({view.proposal === 'draft' ? 'the draft' : 'the target at 1/α'})</dt>
        <dd>{signed(view.lq)}</dd>
        <dt>Its Δw</dt>
        <dd>{signed(view.dw)}</dd>
        <dt>ESS after the step</dt>
        <dd data-testid="smc-ess-value">
          {view.ess.toFixed(2)} of {view.particles} (threshold {view.threshold.toFixed(2)})
        </dd>
        <dt>Resampled</dt>
        <dd data-testid="smc-resampled">{resampled ? `yes: ancestors ${view.ancestors!.map((a) => a + 1).join(', ')}` : 'no'}</dd>
        <dt>α (1 / temperature)</dt>
        <dd>{view.alpha.toFixed(3)}</dd>
      </dl>
      <table className="smc-lanes" data-testid="smc-lanes">
        <thead>
          <tr>
            <th>particle</th>
            <th>from</th>
            <th>token</th>
            <th>Δw</th>
            <th>weight</th>
            <th>reward</th>
          </tr>
        </thead>
        <tbody>
          {view.lanes.map((l, j) => (
            <tr key={j} data-output={j === view.lane || undefined} data-state={l.state}>
              <td>{j + 1}</td>
              <td>{l.parent < 0 ? '—' : l.parent + 1}</td>
              <td>{l.id === null ? (l.state === 'dead' ? 'dead' : 'ended') : `“${oneLine(l.text)}”`}</td>
              <td>{l.id === null ? '—' : signed(l.dw, 2)}</td>
              <td>{(100 * l.weight).toFixed(1)} %</td>
              <td>{signed(l.reward, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {steps && steps.length > 0 && <SmcLineage steps={steps} particles={view.particles} threshold={view.threshold} head={view.lane} testId="smc-lineage-detail" />}
      {view.final && (
        <>
          <p data-testid="smc-summary">
            {view.stop === 'budget' ? 'Stopped at the token budget' : 'Every particle ended'}; resampled {view.resampledAt?.length ?? 0} times
            {view.resampledAt && view.resampledAt.length > 0 ? ` (after steps ${view.resampledAt.map((s) => s + 1).join(', ')})` : ''}.
          </p>
          <CompletionList items={view.final} caption="The final weighted particles (the output marked)" />
        </>
      )}
    </section>
  );
}
