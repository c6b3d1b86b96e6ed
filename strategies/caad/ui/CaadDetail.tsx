/** CAAD detail: the retrieved reference positions, the gate, the shift on the top ids, and whether it flipped the pick. */
import type { CaadView } from './caad-view';
import { formatProb, visibleTokenText } from '../../../app/format';
import { ProbBars } from '../../../app/components/detail/ProbBars';

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** Detail section for a CAAD token. */
export function CaadDetail({ view, chosen }: { view: CaadView; chosen: number }) {
  const flipped = view.provenance === 'flipped by retrieval';
  const maxShift = Math.max(1e-9, ...view.shift.map((s) => Math.abs(s.shift)));
  return (
    <section className="detail" data-testid="popover-detail" aria-label="CAAD retrieval detail">
      <p className="detail-title" data-testid="caad-provenance">
        {view.provenance === 'no retrieval'
          ? view.lambda === 0
            ? 'No retrieval term (λ = 0): the model alone'
            : 'No reference position close enough: the model alone'
          : flipped
            ? `Flipped by retrieval (${view.sampled ? 'the same draw without it' : 'the model alone'}: “${visibleTokenText(view.modelChoice.text)}”, p = ${formatProb(view.modelChoice.prob)})`
            : 'The model’s own choice; retrieval agreed'}
        {flipped && (
          <span className="badge" data-testid="caad-flipped-badge">
            flipped the argmax
          </span>
        )}
      </p>
      <dl className="popover-stats">
        <dt>p with the term</dt>
        <dd data-testid="caad-p">{formatProb(view.processedProb)}</dd>
        <dt>p without it</dt>
        <dd data-testid="caad-p-without">{view.probWithout === null ? '—' : formatProb(view.probWithout)}</dd>
        <dt>Gate g = max cos</dt>
        <dd data-testid="caad-gate">{view.gate.toFixed(3)}</dd>
        <dt>Shift of this token λ·g·(r − mean r)</dt>
        <dd data-testid="caad-token-shift">{signed(view.tokenShift)} nats</dd>
        {view.neighbours.length === 0 && (
          <>
            <dt>Closest stored position</dt>
            <dd>{view.bestSimilarity === null ? 'empty store' : `cos ${view.bestSimilarity.toFixed(3)}`}</dd>
          </>
        )}
      </dl>
      {view.neighbours.length > 0 && (
        <>
          <p className="popover-caption">Retrieved reference positions (cosine; weight a_j; the reference’s next token)</p>
          <ProbBars
            rows={view.neighbours.map((n, i) => ({
              key: i,
              label: `…${visibleTokenText(n.context)} → “${visibleTokenText(n.next)}”`,
              value: n.similarity,
              highlight: n.nextId === chosen,
              note: `a = ${n.weight.toFixed(2)}`,
            }))}
            testId="caad-neighbour"
            format={(v) => v.toFixed(3)}
          />
        </>
      )}
      {view.shift.length > 0 && (
        <>
          <p className="popover-caption">Retrieval shift r − mean_top64(r) on its top ids (nats, before λ·g)</p>
          <ProbBars
            rows={view.shift.map((s) => ({ key: s.id, label: visibleTokenText(s.text), value: Math.abs(s.shift) / maxShift, highlight: s.id === chosen, note: signed(s.shift) }))}
            testId="caad-shift"
            format={() => ''}
          />
        </>
      )}
      {view.store && (
        <p className="hint" data-testid="caad-store">
          Store: {view.store.entries} positions of {view.store.references} references, d = {view.store.dim}
          {view.store.capped ? ' (capped)' : ''}, built in {view.store.buildMs.toFixed(0)} ms, {(view.store.readbackBytes / 1024).toFixed(0)} KiB read back
          {view.store.reused ? ' by an earlier run over the same references, and reused by this one' : ''}.
        </p>
      )}
    </section>
  );
}
