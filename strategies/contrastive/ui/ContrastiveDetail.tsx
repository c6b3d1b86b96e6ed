/** Contrastive-decoding detail: expert vs amateur probabilities of the chosen token and their top lists. */
import type { ContrastiveView } from './contrastive-view';
import { formatProb } from '../../../app/format';
import { idText } from '../../../app/token-text';
import { ProbBars } from '../../../app/components/detail/ProbBars';

interface Props {
  view: ContrastiveView;
  chosen: number;
  texts: ReadonlyMap<number, string>;
}

/** Detail section for a contrastive-decoding token. */
export function ContrastiveDetail({ view, chosen, texts }: Props) {
  const rows = (side: ContrastiveView['expert']) => side.top.map((e) => ({ key: e.id, label: idText(texts, e.id), value: e.prob, highlight: e.id === chosen }));
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Contrastive decoding detail">
      <p className="detail-title">{view.departed ? `Departs from expert greedy (“${idText(texts, view.expertGreedy)}”)` : 'Same as expert greedy'}</p>
      <dl className="popover-stats">
        <dt>Expert p</dt>
        <dd data-testid="cd-expert-prob">{formatProb(view.expert.prob)}</dd>
        <dt>Amateur p</dt>
        <dd data-testid="cd-amateur-prob">{formatProb(view.amateur.prob)}</dd>
        <dt>Plausible tokens |V_head|</dt>
        <dd>{view.vHead}</dd>
      </dl>
      <div className="detail-columns">
        <div>
          <p className="popover-caption">Expert top</p>
          <ProbBars rows={rows(view.expert)} testId="cd-expert-alt" />
        </div>
        <div>
          <p className="popover-caption">Amateur top</p>
          <ProbBars rows={rows(view.amateur)} testId="cd-amateur-alt" />
        </div>
      </div>
      <p className="hint">
        {view.form === 'logit' ? `Score (1+β)·z_expert − β·z_amateur, β = ${view.beta ?? '?'}` : 'Score log p_expert − log p_amateur'}, among tokens with
        p_expert ≥ α·max p_expert, α = {view.alpha}.
      </p>
    </section>
  );
}
