/**
 * Step events arrive in bursts from the worker; they are buffered and applied to the panel views
 * at most once per animation frame. The pure parts live here (tested in Node).
 */
import type { LabStep, LiveState, PanelSpec, PanelStats, RunRecord, StepEvent, TokenRecord } from '../protocol';

/** What a panel shows: its spec, the tokens so far, its latest counters, its error if any. */
export interface PanelView {
  spec: PanelSpec;
  tokens: TokenRecord[];
  stats: PanelStats | null;
  error: string | null;
  /** The logit lab of the panel's last step taken in step mode (null when its last step was not). */
  lab?: LabStep | null;
  /** The strategy's live hypotheses after its last step that reported them (beam search). */
  live?: LiveState | null;
}

/** Empty views for the panels of a request. */
export function emptyViews(panels: readonly PanelSpec[]): PanelView[] {
  return panels.map((spec) => ({ spec, tokens: [], stats: null, error: null }));
}

/** Views from a finished run record (authoritative over the streamed events). */
export function viewsFromRecord(record: RunRecord): PanelView[] {
  return record.panels.map((p) => ({
    spec: { strategy: p.strategy, params: p.params },
    tokens: p.tokens,
    stats: p.stats,
    error: p.error ?? null,
  }));
}

/**
 * Views from the final record, keeping each panel's streamed token array where it holds the same
 * tokens (so the spans already on screen are not rendered again when the run ends).
 */
export function viewsFromRecordKeeping(streamed: readonly PanelView[] | null, record: RunRecord): PanelView[] {
  return viewsFromRecord(record).map((v, i) => {
    const old = streamed?.[i];
    const same =
      old !== undefined && old.tokens.length === v.tokens.length && old.tokens.every((t, j) => t.id === v.tokens[j]?.id && t.prob === v.tokens[j]?.prob);
    return same ? { ...v, tokens: old.tokens, lab: old.lab ?? null, live: old.live ?? null } : { ...v, live: old?.live ?? null };
  });
}

/**
 * Appends a batch of step events: tokens in arrival order, stats from the panel's last event.
 * Untouched panels keep their identity (so memoised components skip them); events naming a panel
 * that does not exist are ignored.
 */
export function applyStepEvents(views: readonly PanelView[], events: readonly StepEvent[]): PanelView[] {
  const next = views.slice();
  const touched = new Set<number>();
  for (const ev of events) {
    const view = next[ev.panel];
    if (!view) continue;
    if (!touched.has(ev.panel)) {
      touched.add(ev.panel);
      next[ev.panel] = { ...view, tokens: view.tokens.slice() };
    }
    const copy = next[ev.panel];
    if (!copy) continue;
    for (const t of ev.tokens) copy.tokens.push(t);
    copy.stats = ev.stats;
    // A step taken running replaces the lab of an earlier stepped one: the lab is always of the last step.
    copy.lab = ev.lab ?? null;
    if (ev.live) copy.live = ev.live;
  }
  return touched.size === 0 ? (views as PanelView[]) : next;
}

/** Schedules `cb` once (e.g. requestAnimationFrame); returns a function that cancels it. */
export type FrameScheduler = (cb: () => void) => () => void;

/** Buffers items and hands them to `apply` in one call per scheduled frame. */
export class FrameBatcher<T> {
  private pending: T[] = [];
  private cancelFrame: (() => void) | null = null;

  constructor(
    private readonly schedule: FrameScheduler,
    private readonly apply: (items: T[]) => void,
  ) {}

  /** Number of buffered items not yet applied. */
  get size(): number {
    return this.pending.length;
  }

  /** Buffers items; the first push after a flush schedules a frame. */
  push(items: readonly T[]): void {
    if (items.length === 0) return;
    for (const item of items) this.pending.push(item);
    if (!this.cancelFrame) {
      this.cancelFrame = this.schedule(() => {
        this.cancelFrame = null;
        this.flush();
      });
    }
  }

  /** Applies everything buffered now (and cancels the scheduled frame). */
  flush(): void {
    this.cancelFrame?.();
    this.cancelFrame = null;
    const items = this.pending;
    this.pending = [];
    if (items.length > 0) this.apply(items);
  }

  /** Drops everything buffered. */
  clear(): void {
    this.cancelFrame?.();
    this.cancelFrame = null;
    this.pending = [];
  }
}

/** requestAnimationFrame where it exists (browser), a 16 ms timer elsewhere. */
export const animationFrameScheduler: FrameScheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => cb());
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(cb, 16);
  return () => clearTimeout(id);
};
