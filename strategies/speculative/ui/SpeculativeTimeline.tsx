/** A speculative panel's iterations, one row of chips each: accepted, rejected (struck), resampled, bonus. */
import { memo, useMemo } from 'react';
import type { TokenRecord } from '../../../protocol';
import { speculativeView } from './speculative-view';
import { idText, textIndex } from '../../../app/token-text';
import { DraftChips, FATE_WORD, GLYPH, type EmittedChip } from './DraftChips';

/** One iteration's first and last emitted token, and how many of its emitted tokens are accepted drafts. */
interface Span {
  iteration: number;
  head: TokenRecord;
  last: TokenRecord;
  accepted: number;
}

/** The iterations of a panel (empty when its tokens are not speculative). */
export function iterationSpans(tokens: readonly TokenRecord[]): Span[] {
  const out: Span[] = [];
  for (const t of tokens) {
    const v = speculativeView(t.annotations);
    if (!v) continue;
    const cur = out[out.length - 1];
    const accepted = v.fate === 'accepted' ? 1 : 0;
    if (cur && cur.iteration === v.iteration) {
      cur.last = t;
      cur.accepted += accepted;
    } else out.push({ iteration: v.iteration, head: t, last: t, accepted });
  }
  return out;
}

/**
 * The timeline's summary: iterations and accepted drafts among the tokens shown. An iteration the
 * token budget cut counts only the drafts it kept, not the n_acc its annotations claim.
 */
export function timelineSummary(tokens: readonly TokenRecord[]): { iterations: number; accepted: number } {
  const spans = iterationSpans(tokens);
  return { iterations: spans.length, accepted: spans.reduce((n, s) => n + s.accepted, 0) };
}

const Row = memo(
  function Row({ span, texts }: { span: Span; texts: ReadonlyMap<number, string> }) {
    const head = speculativeView(span.head.annotations);
    const last = speculativeView(span.last.annotations);
    const emitted: EmittedChip | null = last && last.fate !== 'accepted' ? { id: span.last.id, fate: last.fate } : null;
    const drafts = head?.drafts ?? [];
    const cut = head !== null && span.accepted < head.acceptedInIteration;
    return (
      <li className="iteration" data-testid="iteration">
        <span className="iteration-no">{span.iteration + 1}</span>
        {drafts.length === 0 ? (
          <span className="chip chip-target" data-fate="target-step">
            {idText(texts, span.last.id)}
            <span className="chip-note"> (nothing drafted)</span>
          </span>
        ) : (
          <DraftChips drafts={drafts} emitted={emitted} texts={texts} />
        )}
        {cut && (
          <span className="chip-note" data-testid="iteration-cut">
            {' '}
            (token budget reached: {span.accepted} of {head.acceptedInIteration} accepted drafts kept)
          </span>
        )}
      </li>
    );
  },
  // Rows of finished iterations never change: their tokens are the same objects.
  (a, b) => a.span.head === b.span.head && a.span.last === b.span.last && a.span.accepted === b.span.accepted,
);

/** What the chips' marks mean, drawn with the chips' own classes. */
function TimelineLegend() {
  const entries: { fate: keyof typeof GLYPH; meaning: string; struck?: boolean }[] = [
    { fate: 'accepted', meaning: 'draft accepted by the target' },
    { fate: 'rejected', meaning: 'draft rejected', struck: true },
    { fate: 'discarded', meaning: 'drafted after a rejection, never checked', struck: true },
    { fate: 'resampled', meaning: 'the target’s own token after a rejection' },
    { fate: 'bonus', meaning: 'the target’s extra token when every draft was accepted' },
  ];
  return (
    <ul className="timeline-legend" aria-label="Timeline marks" data-testid="timeline-legend">
      {entries.map((e) => (
        <li key={e.fate}>
          <span className={`chip chip-${e.fate}`} aria-hidden="true">
            {GLYPH[e.fate] && `${GLYPH[e.fate]} `}
            {e.struck ? <s>{FATE_WORD[e.fate]}</s> : FATE_WORD[e.fate]}
          </span>{' '}
          {e.meaning}
        </li>
      ))}
    </ul>
  );
}

/** The timeline (collapsible), newest iteration last. */
export function SpeculativeTimeline({ tokens }: { tokens: readonly TokenRecord[] }) {
  const spans = useMemo(() => iterationSpans(tokens), [tokens]);
  const texts = textIndex(tokens);
  if (spans.length === 0) return null;
  const accepted = spans.reduce((n, s) => n + s.accepted, 0);
  return (
    <details className="timeline" open data-testid="speculative-timeline">
      <summary>
        Iterations: {spans.length}, accepted drafts: {accepted}
      </summary>
      <TimelineLegend />
      <ol className="iterations">
        {spans.map((s) => (
          <Row key={s.iteration} span={s} texts={texts} />
        ))}
      </ol>
    </details>
  );
}
