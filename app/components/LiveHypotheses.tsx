/**
 * A search strategy's hypotheses as they stand (beam search's frontier), under the panel's stream:
 * the running beams with their S, the finished ones with S / ℓ^λ, each as the text after the tokens
 * already emitted. Updated with every step event that reports them (protocol LiveState).
 */
import type { LiveState } from '../../protocol';

/** The text on one line: line breaks as ↵, tabs as →. */
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '↵').replace(/\t/g, '→');
}

export function LiveHypotheses({ live, panelIndex }: { live: LiveState; panelIndex: number }) {
  const groups = new Set(live.hypotheses.map((h) => h.group)).size > 1;
  return (
    <section className="live-hypotheses" data-testid={`live-hypotheses-${panelIndex}`} aria-label={`Hypotheses of panel ${panelIndex + 1}`}>
      <p className="popover-caption">
        {live.done ? `Search ended after ${live.step} steps: finished hypotheses` : `Hypotheses after step ${live.step} (text still undecided)`}
      </p>
      <ol>
        {live.hypotheses.map((h, i) => (
          <li key={i} data-state={h.state}>
            <span className="live-score">
              {h.state === 'finished' ? 'done' : 'beam'} {h.score.toFixed(2)}
              {groups ? ` · g${h.group + 1}` : ''}
            </span>{' '}
            <span className="live-text">{h.text === '' ? '∅' : oneLine(h.text.length > 80 ? `${h.text.slice(0, 80)}…` : h.text)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
