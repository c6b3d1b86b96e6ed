/** A multi-draft panel's iterations, one row each: every chain's chips with its fates, the accepted chain marked. */
import { useMemo } from 'react';
import type { TokenRecord } from '../../../protocol';
import { multiDraftView } from './multi-draft-view';
import { textIndex } from '../../../app/token-text';
import { ChainList } from './MultiDraftDetail';
import { DraftChips } from '../../speculative/ui/DraftChips';

interface Span {
  iteration: number;
  head: TokenRecord;
  last: TokenRecord;
}

/** The iterations of a panel (empty when its tokens are not multi-draft). */
export function multiDraftSpans(tokens: readonly TokenRecord[]): Span[] {
  const out: Span[] = [];
  for (const t of tokens) {
    const v = multiDraftView(t.annotations);
    if (!v) continue;
    const cur = out[out.length - 1];
    if (cur && cur.iteration === v.iteration) cur.last = t;
    else out.push({ iteration: v.iteration, head: t, last: t });
  }
  return out;
}

/** The timeline (collapsible), newest iteration last. */
export function MultiDraftTimeline({ tokens }: { tokens: readonly TokenRecord[] }) {
  const spans = useMemo(() => multiDraftSpans(tokens), [tokens]);
  const texts = textIndex(tokens);
  if (spans.length === 0) return null;
  const lastView = multiDraftView(spans[spans.length - 1]!.last.annotations);
  return (
    <details className="timeline" open data-testid="multi-draft-timeline">
      <summary>
        Iterations: {spans.length}, τ = {lastView?.tau == null ? '—' : lastView.tau.toFixed(2)} tokens per target pass
      </summary>
      <ol className="iterations">
        {spans.map((s) => {
          const head = multiDraftView(s.head.annotations);
          const last = multiDraftView(s.last.annotations);
          const tail = last && last.fate !== 'accepted' ? { id: s.last.id, fate: last.fate } : null;
          return (
            <li key={s.iteration} className="iteration" data-testid="md-iteration">
              <span className="iteration-no">{s.iteration + 1}</span>
              {head?.chains && <ChainList chains={head.chains} accepted={head.chain} texts={texts} />}
              {tail && (
                <span className="chip-note">
                  {' '}
                  then <DraftChips drafts={[]} emitted={tail} texts={texts} />
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
