/** Contrastive decoding and contrastive search: a departure from (expert) greedy or not, and each one's scores. */
import { contrastiveView } from '../annotations/contrastive';
import { searchView } from '../annotations/search';
import { ContrastiveDetail } from '../components/detail/ContrastiveDetail';
import { SearchDetail } from '../components/detail/SearchDetail';
import type { StrategyUi } from './types';

/** The categories both contrastive kinds share. */
const DEPARTURE = {
  departed: { color: '#56B4E9', label: 'Departs from (expert) greedy' },
  agreed: { color: '#D4D4D8', label: 'Same as (expert) greedy' },
} as const;

export const contrastiveUi: StrategyUi<keyof typeof DEPARTURE> = {
  kind: 'contrastive',
  strategies: ['contrastive'],
  provenance: DEPARTURE,
  provenanceOf(a) {
    const v = contrastiveView(a);
    return !v ? null : v.departed ? 'departed' : 'agreed';
  },
  Detail({ token, texts }) {
    const v = contrastiveView(token.annotations);
    return v && <ContrastiveDetail view={v} chosen={token.id} texts={texts} />;
  },
};

export const searchUi: StrategyUi<keyof typeof DEPARTURE> = {
  kind: 'contrastive-search',
  strategies: ['contrastive-search'],
  provenance: DEPARTURE,
  provenanceOf(a) {
    const v = searchView(a);
    return !v ? null : v.departed ? 'departed' : 'agreed';
  },
  Detail({ token, texts }) {
    const v = searchView(token.annotations);
    return v && <SearchDetail view={v} texts={texts} />;
  },
};
