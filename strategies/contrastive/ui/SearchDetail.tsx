/** Contrastive-search detail: each candidate's confidence, degeneration penalty and score. */
import type { SearchView } from './search-view';
import { formatProb } from '../../../app/format';
import { idText } from '../../../app/token-text';

interface Props {
  view: SearchView;
  texts: ReadonlyMap<number, string>;
}

/** Detail section for a contrastive-search token. */
export function SearchDetail({ view, texts }: Props) {
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Contrastive search detail">
      <p className="detail-title">{view.departed ? `Candidate ${view.chosenRank + 1} chosen over the greedy pick` : 'The greedy pick won'}</p>
      <table className="detail-table">
        <caption className="visually-hidden">Candidates: score = (1 − α)·p − α·degeneration, α = {view.alpha}</caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">p</th>
            <th scope="col">Degen.</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {view.candidates.map((c, i) => (
            <tr
              key={c.id}
              className={i === view.chosenRank ? 'chosen' : undefined}
              data-testid="cs-candidate"
              aria-current={i === view.chosenRank || undefined}
            >
              <td className="mono">{idText(texts, c.id)}</td>
              <td>{formatProb(c.prob)}</td>
              <td title={`most similar to context position ${c.similarTo}`}>{c.degeneration.toFixed(3)}</td>
              <td>{c.score.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Score = (1 − α)·p − α·max cosine to the context (α = {view.alpha}); the highest score wins.</p>
    </section>
  );
}
