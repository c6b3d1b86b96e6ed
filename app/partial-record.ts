/**
 * The partial record of a run whose worker had to be terminated (it did not answer Stop within
 * 3 s): the worker can no longer send one, so the page builds it from the record the worker sent
 * when decoding started (prompt ids, model facts, panel settings) and the tokens it was shown.
 * A panel's text is its tokens' texts joined (the worker would decode the ids; the same for
 * every token that is whole text, as on the built-in models).
 */
import type { PanelStats, RunRecord } from '../protocol';
import type { PanelView } from './step-batching';

const NO_STATS: PanelStats = { newTokens: 0, targetForwards: 0, draftForwards: 0, wallMs: 0, tokensPerSecond: 0, readbackBytes: 0, finishReason: null, timeToFirstTokenMs: null };

/** `started` with the shown tokens, every unfinished panel ended by `error`, labelled partial. */
export function partialFromViews(started: RunRecord, views: readonly PanelView[], error: string): RunRecord {
  return {
    ...started,
    partial: { error },
    panels: started.panels.map((p, i) => {
      const v = views[i];
      const tokens = v?.tokens ?? [];
      const stats = { ...(v?.stats ?? p.stats ?? NO_STATS) };
      const unfinished = stats.finishReason === null;
      if (unfinished) stats.finishReason = 'error';
      const panelError = v?.error ?? (unfinished ? error : undefined);
      return { ...p, tokens, stats, text: tokens.map((t) => t.text).join(''), ...(panelError ? { error: panelError } : {}) };
    }),
  };
}
