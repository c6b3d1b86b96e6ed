/**
 * The one UI registry: per annotation kind, its detail view, provenance categories and legend
 * entries (one line per kind). The popover (components/StrategyDetail.tsx), the provenance colours
 * (provenance.ts) and the legend (components/Legend.tsx) read it; nothing else branches on a kind.
 */
import { cntpUi } from './cntp';
import { contrastiveUi, searchUi } from './contrastive';
import { gradUi } from './grad';
import { processedUi } from './processed';
import { speculativeUi } from './speculative';

/** Every kind's UI, in legend order. */
export const STRATEGY_UI = [speculativeUi, gradUi, cntpUi, contrastiveUi, searchUi, processedUi] as const;

/** The base: its category is every token's without a kind, and strategies no kind claims show it in the legend. */
export const BASE_UI = processedUi;

/** The UI of an annotation kind (undefined for none: greedy without a penalty, unknown kinds). */
export function uiOfKind(kind: unknown): (typeof STRATEGY_UI)[number] | undefined {
  return STRATEGY_UI.find((u) => u.kind === kind);
}
