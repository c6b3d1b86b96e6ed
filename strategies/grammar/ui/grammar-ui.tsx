/** Grammar tokens: the model's own pick allowed, a pick forced by the mask, or the grammar's end. */
import { grammarView } from './grammar-view';
import { GrammarDetail } from './GrammarDetail';
import type { StrategyUi } from '../../ui-types';
import { grammarExplanations } from './explain';

export const grammarUi: StrategyUi<'grammar-free' | 'grammar-forced' | 'grammar-end'> = {
  kind: 'grammar',
  strategies: ['grammar'],
  provenance: {
    'grammar-forced': { color: '#D55E00', label: 'The grammar masked the model’s own top token' },
    'grammar-free': { color: '#F5D6C2', label: 'The model’s top token was allowed by the grammar' },
    'grammar-end': { color: '#7F7F7F', label: 'End of a grammatical output (EOS in an accepting state)' },
  },
  provenanceOf(a) {
    const v = grammarView(a);
    if (!v) return null;
    return v.provenance === 'grammar end' ? 'grammar-end' : v.provenance === 'forced by grammar' ? 'grammar-forced' : 'grammar-free';
  },
  explanations: grammarExplanations,
  Detail({ token }) {
    const v = grammarView(token.annotations);
    return v && <GrammarDetail view={v} chosen={token.id} />;
  },
};
