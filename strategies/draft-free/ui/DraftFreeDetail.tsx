/**
 * Token recycling / ADED part of a speculative token's popover: the matrix rows the chain followed
 * (A[u], the "recycled" successors, the drafted one first) and the share of rows ever written, or the
 * tri-gram / bigram count row behind each draft and the table's size.
 */
import type { TokenRecord } from '../../../protocol';
import { idText } from '../../../app/token-text';
import { draftFreeView, type DraftFreeView } from './draft-free-view';

/** The draft-free facts of the iteration `index` belongs to (carried by its first token). */
export function iterationFacts(tokens: readonly TokenRecord[], index: number, iteration: number): DraftFreeView | null {
  for (let i = index; i >= 0; i--) {
    const a = tokens[i]?.annotations;
    if (!a || a.kind !== 'speculative' || (a as { iteration?: unknown }).iteration !== iteration) return null;
    if ('recycling' in a || 'aded' in a) return draftFreeView(a);
  }
  return null;
}

interface Props {
  tokens: readonly TokenRecord[];
  index: number;
  iteration: number;
  texts: ReadonlyMap<number, string>;
}

/** Nothing unless the token belongs to a token-recycling or ADED iteration. */
export function DraftFreeDetail({ tokens, index, iteration, texts }: Props) {
  const facts = iterationFacts(tokens, index, iteration);
  if (!facts) return null;
  const name = (id: number) => idText(texts, id);
  if (facts.recycling) {
    const { rows, written, vocab } = facts.recycling;
    return (
      <div data-testid="recycling-detail">
        {rows.length > 0 && (
          <>
            <p className="popover-caption">Matrix rows the chain followed (A[u]: the target’s top-8 after u, recycled; the first one is drafted)</p>
            <ol className="alternatives" data-testid="recycled-rows">
              {rows.map((r, i) => (
                <li key={i} className="alt" data-testid="recycled-row" data-initial={r.initial ? 'true' : 'false'}>
                  <span className="alt-text">
                    A[{name(r.from)}]{r.initial ? ' (initial row)' : ''}
                  </span>
                  <span className="alt-prob">
                    <b>{name(r.successors[0]!)}</b>
                    {r.successors.length > 1 ? ` · ${r.successors.slice(1).map(name).join(' · ')}` : ''}
                  </span>
                </li>
              ))}
            </ol>
          </>
        )}
        <p className="hint" data-testid="recycling-written">
          Rows ever written: {written}
          {vocab === null ? ' (before the first target pass)' : ` of ${vocab} (${((100 * written) / vocab).toFixed(1)} %)`}; unwritten rows hold the prompt’s most frequent tokens.
        </p>
      </div>
    );
  }
  const { rows, trigrams, bigrams } = facts.aded;
  return (
    <div data-testid="aded-detail">
      {rows.length > 0 && (
        <>
          <p className="popover-caption">Count rows behind each draft (largest count drafted, ties to the lower id)</p>
          <ol className="alternatives" data-testid="aded-rows">
            {rows.map((r, i) => (
              <li key={i} className="alt" data-testid="aded-row" data-order={r.order}>
                <span className="alt-text">
                  {r.order === 3 ? 'T' : 'B'}[{r.context.map(name).join(', ')}]
                </span>
                <span className="alt-prob">{r.next.map((e) => `${name(e.id)} ×${e.count}`).join(' · ')}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      <p className="hint" data-testid="aded-size">
        Table: {trigrams} tri-gram contexts, {bigrams} bigram contexts (prompt and committed text only).
      </p>
    </div>
  );
}
