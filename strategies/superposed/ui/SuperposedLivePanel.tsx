/**
 * Superposed decoding's drafts as they stand, under the panel's stream: every draft as a parallel line
 * with its weight in the next superposition (running) or its score (finished), the one the panel's text
 * follows marked, and the superposition W of the last forward as bars.
 */
import type { LiveState } from '../../../protocol';
import { formatProb, visibleTokenText } from '../../../app/format';
import { ProbBars } from '../../../app/components/detail/ProbBars';
import { draftColor } from './SuperposedDetail';

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '↵').replace(/\t/g, '→');
}

export function SuperposedLivePanel({ live, panelIndex }: { live: LiveState; panelIndex: number }) {
  const s = live.superposed;
  if (!s) return null;
  return (
    <section className="live-hypotheses superposed-live" data-testid={`superposed-live-${panelIndex}`} aria-label={`Drafts of panel ${panelIndex + 1}`}>
      <p className="popover-caption">
        {live.done ? `Search ended after ${s.step} steps: the drafts` : `Drafts after step ${s.step} (k = ${s.k}, one forward per step)`}
      </p>
      <ol>
        {s.drafts.map((d, i) => (
          <li key={i} data-state={d.state} data-output={d.output || undefined} data-testid="superposed-live-draft" style={{ borderLeft: `4px solid ${d.state === 'running' ? draftColor(i) : '#999'}`, paddingLeft: 4 }}>
            <span className="live-score">
              {d.state === 'running' ? `d${i + 1} w ${formatProb(d.weight)}` : 'done'} · ℓ {d.score.toFixed(2)}
              {d.output ? ' · shown' : ''}
            </span>{' '}
            <span className="live-text">{d.text === '' ? '∅' : oneLine(d.text)}</span>
          </li>
        ))}
      </ol>
      {s.mix.length > 0 && (
        <>
          <p className="popover-caption">Superposition W of the last forward</p>
          <ProbBars rows={s.mix.map((m, i) => ({ key: i, label: visibleTokenText(m.text), value: m.weight }))} testId="superposed-live-mix" />
        </>
      )}
    </section>
  );
}
