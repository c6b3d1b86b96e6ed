/**
 * Superposed decoding detail: the superposition W fed at this step (bars), the drafts before it (parallel
 * lines with their weights), and the step's top 2k candidates: the draft each extends, p̃ vs the n-gram
 * support g_d, the score and its fate.
 */
import type { SuperposedView } from './superposed-view';
import { formatProb, visibleTokenText } from '../../../app/format';
import { ProbBars } from '../../../app/components/detail/ProbBars';

/** One line of text: line breaks as ↵. */
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '↵').replace(/\t/g, '→');
}

/** Draft colours (Okabe–Ito), by draft index. */
export const DRAFT_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

export function draftColor(i: number): string {
  return DRAFT_COLORS[i % DRAFT_COLORS.length]!;
}

export function SuperposedDetail({ view }: { view: SuperposedView }) {
  const fmtG = (g: number | null) => (g === null ? '—' : g === 0 ? '0' : formatProb(g));
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Superposed decoding detail">
      <p className="detail-title" data-testid="superposed-summary">
        Step {view.step + 1}: from draft {view.draft + 1} of {view.drafts.length} (candidate {view.rank + 1}); k = {view.k}, {view.tokenSample} tokens kept, T = {view.temperature}, α = {view.alpha}
      </p>
      <dl className="popover-stats">
        <dt>p̃ (model, kept tokens)</dt>
        <dd data-testid="superposed-lm">{formatProb(view.lmProb)}</dd>
        <dt>n-gram support g_d</dt>
        <dd data-testid="superposed-ngram">{fmtG(view.ngram)}</dd>
        <dt>s = (1 − α)·log p̃ + α·log g</dt>
        <dd>{view.stepScore.toFixed(3)}</dd>
        <dt>draft score ℓ after it</dt>
        <dd>{view.score.toFixed(3)}</dd>
      </dl>
      <p className="popover-caption">Superposition W fed to this step’s forward</p>
      {view.mix.length === 0 ? (
        <p className="hint" data-testid="superposed-mix-none">
          The first step feeds the prompt itself (one forward of its ids).
        </p>
      ) : (
        <ProbBars rows={view.mix.map((m) => ({ key: m.id, label: visibleTokenText(m.text), value: m.weight }))} testId="superposed-mix" />
      )}
      <p className="popover-caption">Drafts before the step (weight = share in the superposition)</p>
      <ol className="superposed-drafts" data-testid="superposed-drafts">
        {view.drafts.map((d, i) => (
          <li key={i} data-testid="superposed-draft" style={{ borderLeft: `4px solid ${draftColor(i)}`, paddingLeft: 4 }}>
            <span className="live-score">
              d{i + 1} · w {formatProb(d.weight)} · ℓ {d.score.toFixed(2)}
            </span>{' '}
            <span className="live-text">{d.text === '' ? '∅ (the prompt)' : oneLine(d.text)}</span>
          </li>
        ))}
      </ol>
      <p className="popover-caption">Top {view.candidates.length} candidates ℓ_d + s_d(v): the draft each extends, p̃ vs g_d</p>
      <table className="superposed-candidates" data-testid="superposed-candidates">
        <thead>
          <tr>
            <th>draft</th>
            <th>token</th>
            <th>p̃</th>
            <th>g_d</th>
            <th>score</th>
            <th>fate</th>
          </tr>
        </thead>
        <tbody>
          {view.candidates.map((c, j) => (
            <tr key={j} data-testid="superposed-candidate" data-fate={c.fate} className={j === view.rank && c.onOutput ? 'chosen' : undefined}>
              <td style={{ color: draftColor(c.draft) }}>d{c.draft + 1}</td>
              <td>{visibleTokenText(c.text)}</td>
              <td>{formatProb(c.lmProb)}</td>
              <td>
                {fmtG(c.ngram)}
                {c.penalized ? ' (no support: −penalty)' : ''}
              </td>
              <td>{c.score.toFixed(2)}</td>
              <td>{c.fate}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.final && (
        <>
          <p className="popover-caption" data-testid="superposed-final">
            Search ended ({view.final.stop}): {view.final.running.length} running, {view.final.finished.length} finished drafts
          </p>
          <ol className="superposed-drafts">
            {[...view.final.running.map((d) => ({ d, s: 'running' })), ...view.final.finished.map((d) => ({ d, s: 'finished' }))].map(({ d, s }, i) => (
              <li key={i} data-testid="superposed-final-draft">
                <span className="live-score">
                  {s} · ℓ {d.score.toFixed(2)}
                </span>{' '}
                <span className="live-text">{oneLine(d.text)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {view.corpus && (
        <p className="hint">
          n-gram model (orders 2–6) counted over {view.corpus.passages} passages, {view.corpus.tokens} tokens, in {Math.round(view.corpus.buildMs)} ms.
        </p>
      )}
    </section>
  );
}
