/** Grammar detail: DFA state, allowed-set size, the mass the mask removed; for ASAp p vs p·θ̂ bars and the samples drawn. */
import type { GrammarView } from './grammar-view';
import { formatProb, visibleTokenText } from '../../../app/format';

/** Detail section for a grammar token. */
export function GrammarDetail({ view, chosen }: { view: GrammarView; chosen: number }) {
  const a = view.asap;
  const maxP = Math.max(1e-12, ...(a?.bars.map((b) => b.p) ?? [0]));
  const total = a?.distribution?.reduce((s, d) => s + d.count, 0) ?? 0;
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Grammar detail">
      <p className="detail-title" data-testid="grammar-state">
        DFA state {view.state} → {view.nextState}
        {view.accepting ? ' (accepting: the text so far matches)' : ''}
        {view.mode === 'asap' ? ' · ASAp (our interpretation)' : ' · masking (GCD)'}
      </p>
      <dl className="popover-stats">
        <dt>Allowed tokens here</dt>
        <dd data-testid="grammar-allowed">
          {view.allowed} of {view.vocab}
        </dd>
        <dt>Mass the mask removed (1 − Σ allowed p)</dt>
        <dd data-testid="grammar-removed">{formatProb(view.removedMass)}</dd>
        <dt>Model’s own top token</dt>
        <dd data-testid="grammar-model-top">
          “{visibleTokenText(view.modelTop.text)}” {formatProb(view.modelTop.prob)}
          {view.modelTop.allowed ? '' : ' (not allowed)'}
        </dd>
        <dt>{view.mode === 'asap' ? 'q(token) ∝ p·θ̂' : 'p after the mask'}</dt>
        <dd>{formatProb(view.processedProb)}</dd>
        {a && (
          <>
            <dt>θ̂ of this token when drawn</dt>
            <dd data-testid="grammar-theta">{a.theta.toFixed(3)}</dd>
            <dt>Lost mass 1 − Σ p·θ̂</dt>
            <dd data-testid="grammar-lost">{formatProb(a.lostMass)}</dd>
            <dt>Trie nodes / forwards</dt>
            <dd>
              {a.trieNodes} / {a.forwards}
            </dd>
          </>
        )}
      </dl>
      {a && a.bars.length > 0 && (
        <>
          <p className="popover-caption">Model p(t|w) (light) vs ASAp p·θ̂ (dark); red = mass known to lead out of the grammar</p>
          <ol className="alternatives" data-testid="grammar-bars">
            {a.bars.map((b) => (
              <li key={b.id} className={b.id === chosen ? 'alt chosen' : 'alt'}>
                <span className="alt-text">{visibleTokenText(b.text || '⟨eos⟩')}</span>
                <span className="alt-bar" aria-hidden="true" style={{ position: 'relative' }}>
                  <span style={{ width: `${(b.p / maxP) * 100}%`, background: '#E69F00', opacity: 0.5, position: 'absolute', left: 0, top: 0, bottom: 0 }} />
                  <span style={{ width: `${(b.pTheta / maxP) * 100}%`, position: 'absolute', left: 0, top: 0, bottom: 0 }} />
                </span>
                <span className="alt-prob">
                  {formatProb(b.p)} → {formatProb(b.pTheta)}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {a?.distribution && a.distribution.length > 0 && (
        <>
          <p className="popover-caption" data-testid="grammar-samples-caption">
            {total} complete sample{total === 1 ? '' : 's'} drawn so far (empirical distribution; this panel shows sample {a.sample} of {a.samples})
          </p>
          <ol className="alternatives" data-testid="grammar-samples">
            {a.distribution.map((d, i) => (
              <li key={i} className="alt">
                <span className="alt-text">
                  {visibleTokenText(d.text)}
                  {d.grammatical ? '' : ' ✗ truncated'}
                </span>
                <span className="alt-bar" aria-hidden="true">
                  <span style={{ width: `${(d.count / Math.max(1, total)) * 100}%` }} />
                </span>
                <span className="alt-prob">{d.count}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
