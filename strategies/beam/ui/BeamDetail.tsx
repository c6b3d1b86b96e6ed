/** Beam search detail: the step's candidates as a small tree level (parent beam → token), with their fate and score. */
import type { BeamView } from './beam-view';
import { visibleTokenText } from '../../../app/format';

const FATE_TEXT = { kept: 'kept', finished: 'finished', pruned: 'pruned' } as const;

/** Detail section for a beam search token. */
export function BeamDetail({ view, chosen }: { view: BeamView; chosen: number }) {
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Beam search detail">
      <p className="detail-title" data-testid="beam-rank">
        {view.rank === 0 ? 'The output led the search at this step' : `The output was candidate ${view.rank + 1} of its group at this step: a narrower search would have lost it`}
      </p>
      <dl className="popover-stats">
        <dt>Step</dt>
        <dd>{view.step + 1}</dd>
        <dt>log p of the token</dt>
        <dd>{view.lp.toFixed(3)}</dd>
        <dt>S so far</dt>
        <dd data-testid="beam-sum">{view.sum.toFixed(3)}</dd>
        <dt>Beams</dt>
        <dd>
          {view.numBeams}
          {view.groups > 1 ? ` in ${view.groups} groups` : ''}
        </dd>
      </dl>
      <p className="popover-caption">This step’s candidates (parent beam → token, S with it)</p>
      <table className="beam-step" data-testid="beam-candidates">
        <thead>
          <tr>
            {view.groups > 1 && <th scope="col">Group</th>}
            <th scope="col">Beam</th>
            <th scope="col">Token</th>
            <th scope="col">log p</th>
            <th scope="col">S</th>
            <th scope="col">Fate</th>
          </tr>
        </thead>
        <tbody>
          {view.candidates.map((c, i) => {
            const isOutput = c.onOutput && c.id === chosen;
            return (
              <tr key={i} data-fate={c.fate} data-output={isOutput ? 'true' : undefined} className={isOutput ? 'beam-output' : c.fate === 'pruned' ? 'beam-pruned' : undefined}>
                {view.groups > 1 && <td>{c.group + 1}</td>}
                <td>
                  {c.parent + 1}
                  {c.onOutput ? ' ★' : ''}
                </td>
                <td>
                  <code>{visibleTokenText(c.text)}</code>
                </td>
                <td>
                  {c.lp.toFixed(2)}
                  {c.penalty > 0 ? ` (−${c.penalty.toFixed(1)} δ)` : ''}
                </td>
                <td>{c.score.toFixed(2)}</td>
                <td>{FATE_TEXT[c.fate]}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">★ the beam whose text so far is the output’s.</p>
      {view.finished && (
        <>
          <p className="popover-caption">Finished hypotheses, best first{view.stop ? ` (stopped: ${view.stop})` : ''}</p>
          <ol className="beam-finished" data-testid="beam-finished">
            {view.finished.map((f, i) => (
              <li key={i} data-output={f.output ? 'true' : undefined}>
                S/ℓ^λ {f.score.toFixed(3)} (S {f.sum.toFixed(2)}, ℓ {f.length}){f.output ? ' · output' : ''}: <q>{f.text.length > 80 ? `${f.text.slice(0, 80)}…` : f.text}</q>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
