/** The strategy's own detail at one token: the view its annotations' `kind` registers (strategies/ui-registry.ts). */
import { uiOfKind } from '../../strategies/ui-registry';
import type { DetailProps } from '../../strategies/ui-types';

/** Nothing for plain greedy (no annotations) or annotations no kind's view can read. */
export function StrategyDetail(props: DetailProps) {
  const ui = uiOfKind(props.token.annotations.kind);
  return ui ? <ui.Detail {...props} /> : null;
}
