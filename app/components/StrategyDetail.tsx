/** The strategy's own detail at one token, chosen by the shape of its annotations. */
import type { TokenRecord } from '../../workers/protocol';
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

/** Nothing for plain greedy (no annotations). */
export function StrategyDetail({ token, tokens, index, texts }: Props) {
  const a = token.annotations;
  const spec = speculativeView(a);
  if (spec) return <SpeculativeDetail view={spec} tokens={tokens} index={index} texts={texts} />;
  const cd = contrastiveView(a);
  if (cd) return <ContrastiveDetail view={cd} chosen={token.id} texts={texts} />;
  const cs = searchView(a);
  if (cs) return <SearchDetail view={cs} texts={texts} />;
  const cntp = cntpView(a);
  if (cntp) return <CntpDetail view={cntp} tokens={tokens} index={index} />;
  const grad = gradView(a);
  if (grad) return <GradDetail view={grad} chosen={token.id} texts={texts} />;
  const processed = processedView(a);
  if (processed) return <ProcessedDetail view={processed} />;
  return null;
}
