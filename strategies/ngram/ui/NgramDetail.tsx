/** n-gram injection detail: did the style prior change the pick, how far it lifted it, and what the prior wanted. */
import type { NgramView } from './ngram-view';
import { formatProb, visibleTokenText } from '../../../app/format';
import { ProbBars } from '../../../app/components/detail/ProbBars';

const ORDER_NAMES = ['unigram', 'bigram', 'trigram'];

/** Detail section for an n-gram injection token. */
export function NgramDetail({ view, chosen }: { view: NgramView; chosen: number }) {
  const flipped = view.provenance === 'flipped by style';
  return (
    <section className="detail" data-testid="popover-detail" aria-label="n-gram style injection detail">
      <p className="detail-title" data-testid="ngram-provenance">
        {view.provenance === 'no style term'
          ? 'No style term here: the model alone'
          : flipped
            ? `Flipped by the style prior (${view.sampled ? 'the same draw without it' : 'the model alone'}: “${visibleTokenText(view.modelChoice.text)}”, p = ${formatProb(view.modelChoice.prob)})`
            : 'The model’s own choice; the style prior agreed'}
      </p>
      <dl className="popover-stats">
        <dt>p with the style term</dt>
        <dd data-testid="ngram-p">{formatProb(view.processedProb)}</dd>
        <dt>p without it</dt>
        <dd data-testid="ngram-p-without">{view.probWithout === null ? '—' : formatProb(view.probWithout)}</dd>
        <dt>P_style of this token</dt>
        <dd>{formatProb(view.styleProb)}</dd>
        <dt>Lift λ·(s − s_base)</dt>
        <dd data-testid="ngram-lift">+{view.lift.toFixed(2)} nats</dd>
        <dt>Orders in use</dt>
        <dd>{view.orders.length === 0 ? '—' : view.orders.map((n) => ORDER_NAMES[n - 1] ?? n).join(', ')}</dd>
      </dl>
      {view.topStyle.length > 0 && (
        <>
          <p className="popover-caption">What the style text continues with here (P_style)</p>
          <ProbBars rows={view.topStyle.map((s) => ({ key: s.id, label: visibleTokenText(s.text), value: s.p, highlight: s.id === chosen }))} testId="ngram-style" format={formatProb} />
        </>
      )}
      {view.corpus && (
        <p className="hint">
          Style prior counted over {view.corpus.passages} passages, {view.corpus.tokens} tokens, up to order {view.corpus.order} ({view.corpus.buildMs.toFixed(0)} ms).
        </p>
      )}
    </section>
  );
}
