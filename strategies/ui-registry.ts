/**
 * The one UI registry: per annotation kind, its detail view, provenance categories and legend
 * entries (one line per kind). The popover (app/components/StrategyDetail.tsx), the provenance
 * colours (app/provenance.ts) and the legend (app/components/Legend.tsx) read it; nothing else branches on a kind.
 */
import { beamUi } from './beam/ui/beam-ui';
import { caadUi } from './caad/ui/caad-ui';
import { cntpUi } from './cntp/ui/cntp-ui';
import { contrastiveUi, searchUi } from './contrastive/ui/contrastive-ui';
import { dolaUi } from './dola/ui/dola-ui';
import { eadUi } from './ead/ui/ead-ui';
import { gradUi } from './grad/ui/grad-ui';
import { ngramUi } from './ngram/ui/ngram-ui';
import { processedUi } from './base/ui/base-ui';
import { speculativeUi } from './speculative/ui/speculative-ui';
import { w2sUi } from './w2s/ui/w2s-ui';
import { smcUi } from './smc/ui/smc-ui';
import { multiDraftUi } from './multi-draft/ui/multi-draft-ui';
import { superposedUi } from './superposed/ui/superposed-ui';
import { grammarUi } from './grammar/ui/grammar-ui';
import type { StrategyExplanation } from './ui-types';

/** Every kind's UI, in legend order. */
export const STRATEGY_UI = [speculativeUi, gradUi, cntpUi, eadUi, ngramUi, caadUi, w2sUi, multiDraftUi, beamUi, smcUi, superposedUi, grammarUi, dolaUi, contrastiveUi, searchUi, processedUi] as const;

/** The base: its category is every token's without a kind, and strategies no kind claims show it in the legend. */
export const BASE_UI = processedUi;

/** The explanation behind a strategy panel's "?", from the family that claims the strategy (undefined: none). */
export function explanationOf(strategy: string): StrategyExplanation | undefined {
  for (const u of STRATEGY_UI) {
    const e: StrategyExplanation | undefined = u.explanations[strategy];
    if (e) return e;
  }
  return undefined;
}

/** The UI of an annotation kind (undefined for none: greedy without a penalty, unknown kinds). */
export function uiOfKind(kind: unknown): (typeof STRATEGY_UI)[number] | undefined {
  return STRATEGY_UI.find((u) => u.kind === kind);
}
