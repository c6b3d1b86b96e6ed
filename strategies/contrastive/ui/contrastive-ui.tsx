/** Contrastive decoding and contrastive search: a departure from (expert) greedy or not, and each one's scores. */
import type { ReactNode } from 'react';
import { contrastiveView } from './contrastive-view';
import { searchView } from './search-view';
import { ContrastiveDetail } from './ContrastiveDetail';
import { SearchDetail } from './SearchDetail';
import type { DetailProps, StrategyUi } from '../../ui-types';
import { contrastiveExplanations } from './explain';

/** The categories both contrastive kinds share. */
const DEPARTURE = {
  departed: { color: '#56B4E9', label: 'Departs from (expert) greedy' },
  agreed: { color: '#D4D4D8', label: 'Same as (expert) greedy' },
} as const;

/** A kind whose tokens either depart from (expert) greedy or agree with it. */
function departureUi<V extends { departed: boolean }>(
  kind: 'contrastive' | 'contrastive-search',
  read: (a: Readonly<Record<string, unknown>>) => V | null,
  render: (view: V, props: DetailProps) => ReactNode,
): StrategyUi<keyof typeof DEPARTURE> {
  return {
    kind,
    strategies: [kind],
    provenance: DEPARTURE,
    explanations: { [kind]: contrastiveExplanations[kind] },
    provenanceOf(a) {
      const v = read(a);
      return !v ? null : v.departed ? 'departed' : 'agreed';
    },
    Detail(props) {
      const v = read(props.token.annotations);
      return v && render(v, props);
    },
  };
}

export const contrastiveUi = departureUi('contrastive', contrastiveView, (v, { token, texts }) => <ContrastiveDetail view={v} chosen={token.id} texts={texts} />);

export const searchUi = departureUi('contrastive-search', searchView, (v, { texts }) => <SearchDetail view={v} texts={texts} />);
