/** The strategy's own detail at one token: the view its annotations' `kind` registers (app/strategy-ui/registry.ts). */
import { uiOfKind } from '../strategy-ui/registry';
import type { DetailProps } from '../strategy-ui/types';

/** Nothing for plain greedy (no annotations) or annotations no kind's view can read. */
export function StrategyDetail(props: DetailProps) {
  const ui = uiOfKind(props.token.annotations.kind);
  return ui ? <ui.Detail {...props} /> : null;
}
