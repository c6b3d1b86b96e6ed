/** GRAD detail: provenance, the adaptive weight and the graph row of the previous token. */
import type { GradView } from './grad-view';
import { visibleTokenText } from '../../../app/format';
import { idText } from '../../../app/token-text';
import { ProbBars } from '../../../app/components/detail/ProbBars';

interface Props {
  view: GradView;
  chosen: number;
  texts: ReadonlyMap<number, string>;
}

const PROVENANCE_TEXT: Record<GradView['provenance'], string> = {
  unchanged: 'The graph agreed with the model’s own choice',
  'flipped by graph': 'Flipped by the graph',
  'no graph row': 'No graph row for the previous token: pure model',
};

/** Detail section for a GRAD token. */
export function GradDetail({ view, chosen, texts }: Props) {
  return (
    <section className="detail" data-testid="popover-detail" aria-label="GRAD detail">
      <p className="detail-title" data-testid="grad-provenance">
        {PROVENANCE_TEXT[view.provenance]}
        {view.provenance === 'flipped by graph' ? ` (model alone: “${idText(texts, view.modelArgmax)}”)` : ''}
      </p>
      <dl className="popover-stats">
        <dt>Fusion</dt>
        <dd>{view.variant}</dd>
        <dt>λ_t</dt>
        <dd>{view.lambdaT.toFixed(3)}</dd>
        <dt>Scale S</dt>
        <dd>{view.scale === null ? '—' : view.scale.toFixed(3)}</dd>
      </dl>
      {view.successors.length > 0 && (
        <>
          <p className="popover-caption">Graph row of the previous token (normalised weight)</p>
          <ProbBars
            rows={view.successors.map((s) => ({ key: s.id, label: visibleTokenText(s.text), value: s.weight, highlight: s.id === chosen }))}
            testId="grad-successor"
            format={(v) => v.toFixed(2)}
          />
        </>
      )}
      {view.graph && (
        <p className="hint">
          Graph built from {view.graph.passages} retrieved passages: {view.graph.edges} edges from {view.graph.sources} tokens.
        </p>
      )}
    </section>
  );
}
