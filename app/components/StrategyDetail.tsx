/** The strategy's own detail at one token, chosen by its annotations' `kind`. */
import type { TokenRecord } from '../../protocol';
import { cntpView } from '../annotations/cntp';
import { contrastiveView } from '../annotations/contrastive';
import { gradView } from '../annotations/grad';
import { processedView } from '../annotations/processed';
import { searchView } from '../annotations/search';
import { speculativeView } from '../annotations/speculative';
import { CntpDetail } from './detail/CntpDetail';
import { ContrastiveDetail } from './detail/ContrastiveDetail';
import { GradDetail } from './detail/GradDetail';
import { ProcessedDetail } from './detail/ProcessedDetail';
import { SearchDetail } from './detail/SearchDetail';
import { SpeculativeDetail } from './detail/SpeculativeDetail';

interface Props {
  token: TokenRecord;
  tokens: readonly TokenRecord[];
  index: number;
  texts: ReadonlyMap<number, string>;
}

/** Nothing for plain greedy (no annotations). The view is chosen by the annotations' `kind`. */
export function StrategyDetail({ token, tokens, index, texts }: Props) {
  const a = token.annotations;
  switch (a.kind) {
    case 'speculative': {
      const v = speculativeView(a);
      return v && <SpeculativeDetail view={v} tokens={tokens} index={index} texts={texts} />;
    }
    case 'contrastive': {
      const v = contrastiveView(a);
      return v && <ContrastiveDetail view={v} chosen={token.id} texts={texts} />;
    }
    case 'contrastive-search': {
      const v = searchView(a);
      return v && <SearchDetail view={v} texts={texts} />;
    }
    case 'cntp': {
      const v = cntpView(a);
      return v && <CntpDetail view={v} tokens={tokens} index={index} />;
    }
    case 'grad': {
      const v = gradView(a);
      return v && <GradDetail view={v} chosen={token.id} texts={texts} />;
    }
    case 'processed': {
      const v = processedView(a);
      return v && <ProcessedDetail view={v} />;
    }
    default:
      return null;
  }
}
