/**
 * Comparing the run on screen with a saved run file: each panel against the saved run's panel at
 * the same place, token id by token id up to the first difference (as diff mode does against the
 * greedy panel). Token ids mean the same only after the same prompt tokens, so that is required.
 */
import type { RunRecord } from '../protocol';
import { firstDeparture } from './diff';
import { quoteValue } from './model-spec';

/** A saved run opened for comparison. */
export interface SavedComparison {
  fileName: string;
  record: RunRecord;
}

/** The store fields that decide whether a comparison colours the panels. */
export interface ComparisonState {
  comparison: SavedComparison | null;
  panelViews: readonly unknown[] | null;
  lastRecord: RunRecord | null;
  lastRecordStale: boolean;
}

/** The saved run the panels are compared with right now (open, a finished run on screen, same prompt tokens), or null. */
export function activeComparison(s: ComparisonState): RunRecord | null {
  if (!s.comparison || !s.panelViews) return null;
  return comparisonProblem(s.lastRecordStale ? null : s.lastRecord, s.comparison.record) === null ? s.comparison.record : null;
}

/** Why `saved` cannot be compared with the run on screen (`current`), or null when it can. */
export function comparisonProblem(current: RunRecord | null, saved: RunRecord): string | null {
  if (!current) return 'there is no finished run on screen to compare it with: press Generate (or import a run) first';
  const a = saved.promptTokens;
  const b = current.promptTokens;
  const at = firstDeparture(a, b) ?? (a.length === b.length ? null : Math.min(a.length, b.length));
  if (at === null) return null;
  return (
    `its prompt ${quoteValue(saved.prompt)} is ${a.length} tokens and the run on screen has ${b.length} (${quoteValue(current.prompt)}); ` +
    `they differ from prompt token ${at + 1}, and tokens after different prompts cannot be compared`
  );
}

/**
 * Per panel on screen: the first token where it departs from the saved run's panel at the same
 * place (null: none so far), or undefined when the saved run has no panel there.
 */
export function savedDepartures(panels: readonly (readonly number[])[], saved: RunRecord): (number | null | undefined)[] {
  return panels.map((ids, i) => {
    const other = saved.panels[i];
    return other
      ? firstDeparture(
          ids,
          other.tokens.map((t) => t.id),
        )
      : undefined;
  });
}
