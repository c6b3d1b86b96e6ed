/**
 * Chart series derived from the panel views (pure; the chart components only draw them). Keys
 * `p0`, `p1`, ... name the panels by their position in the views.
 */
import type { PanelStats, TokenRecord } from '../protocol';
import { cntpView } from '../strategies/cntp/ui/cntp-view';
import { speculativeView } from '../strategies/speculative/ui/speculative-view';

/** A panel as the charts see it: its name and what it generated so far. */
export interface ChartPanel {
  label: string;
  tokens: readonly TokenRecord[];
  stats: PanelStats | null;
}

/** One series of a multi-panel chart: data key, legend label, panel position (for its colour). */
export interface Series {
  key: string;
  label: string;
  panel: number;
}

/** Rows for recharts: an x value and one value per series key (missing = no point). */
export type Row = { x: number } & Record<string, number | undefined>;

/** A chart's rows and series. */
export interface ChartData {
  rows: Row[];
  series: Series[];
}

const key = (i: number) => `p${i}`;

/**
 * Per-step value of every panel (x = token position from 1). With more than `maxPoints` positions,
 * consecutive positions are averaged in equal buckets (x = the bucket's first position), which keeps
 * live charts cheap; `Infinity` keeps every point.
 */
export function perStep(panels: readonly ChartPanel[], value: (t: TokenRecord) => number, maxPoints = Infinity): ChartData {
  const length = Math.max(0, ...panels.map((p) => p.tokens.length));
  const size = Math.max(1, Math.ceil(length / Math.max(1, maxPoints)));
  const rows: Row[] = Array.from({ length: Math.ceil(length / size) }, (_, b) => ({ x: b * size + 1 }) as Row);
  panels.forEach((p, i) => {
    rows.forEach((row, b) => {
      const bucket = p.tokens.slice(b * size, (b + 1) * size);
      if (bucket.length > 0) row[key(i)] = bucket.reduce((s, t) => s + value(t), 0) / bucket.length;
    });
  });
  return { rows, series: panels.map((p, i) => ({ key: key(i), label: p.label, panel: i })) };
}

/** One speculative iteration: accepted drafts n_acc, drafted L, asked k. */
export interface IterationPoint {
  iteration: number;
  accepted: number;
  drafted: number;
  k: number;
}

/** The iterations of a panel's tokens (first token of each iteration), in order. */
export function iterationsOf(tokens: readonly TokenRecord[]): IterationPoint[] {
  const out: IterationPoint[] = [];
  let last = -1;
  for (const t of tokens) {
    const s = speculativeView(t.annotations);
    if (!s || s.iteration === last) continue;
    last = s.iteration;
    out.push({ iteration: s.iteration, accepted: s.acceptedInIteration, drafted: s.drafted, k: s.k });
  }
  return out;
}

/** Accepted length per iteration (x = iteration from 1) for the panels that speculate. */
export function acceptedPerIteration(panels: readonly ChartPanel[]): ChartData {
  const its = panels.map((p) => iterationsOf(p.tokens));
  const series = panels.flatMap((p, i) => (its[i]!.length > 0 ? [{ key: key(i), label: p.label, panel: i }] : []));
  const length = Math.max(0, ...its.map((x) => x.length));
  const rows: Row[] = Array.from({ length }, (_, j) => ({ x: j + 1 }) as Row);
  its.forEach((list, i) => list.forEach((it, j) => ((rows[j] as Row)[key(i)] = it.accepted)));
  return { rows, series };
}

/** Histogram of accepted lengths (x = n_acc from 0 to the largest seen) for the speculating panels. */
export function acceptedHistogram(panels: readonly ChartPanel[]): ChartData {
  const its = panels.map((p) => iterationsOf(p.tokens));
  const series = panels.flatMap((p, i) => (its[i]!.length > 0 ? [{ key: key(i), label: p.label, panel: i }] : []));
  const top = Math.max(-1, ...its.flat().map((it) => Math.max(it.accepted, it.k)));
  const rows: Row[] = Array.from({ length: top + 1 }, (_, n) => ({ x: n }) as Row);
  for (const s of series) for (const r of rows) r[s.key] = 0;
  its.forEach((list, i) => list.forEach((it) => ((rows[it.accepted] as Row)[key(i)] = ((rows[it.accepted] as Row)[key(i)] ?? 0) + 1)));
  return { rows, series };
}

/** CNTP trials N per step (x = step from 1) for the CNTP panels. */
export function trialsPerStep(panels: readonly ChartPanel[]): ChartData {
  const steps = panels.map((p) => {
    const out: number[] = [];
    for (const t of p.tokens) {
      const c = cntpView(t.annotations);
      if (c && c.trialToken === 0) out[c.step] = c.n;
    }
    return out;
  });
  const series = panels.flatMap((p, i) => (steps[i]!.length > 0 ? [{ key: key(i), label: p.label, panel: i }] : []));
  const length = Math.max(0, ...steps.map((s) => s.length));
  const rows: Row[] = Array.from({ length }, (_, j) => ({ x: j + 1 }) as Row);
  steps.forEach((list, i) => list.forEach((n, j) => ((rows[j] as Row)[key(i)] = n)));
  return { rows, series };
}

/** Per-panel speed and cost: tokens/s, target and draft forward passes per generated token. */
export interface Throughput {
  label: string;
  panel: number;
  tokensPerSecond: number;
  targetPerToken: number;
  draftPerToken: number;
}

/** Speed and cost of every panel that has generated something. */
export function throughput(panels: readonly ChartPanel[]): Throughput[] {
  return panels.flatMap((p, i) => {
    const s = p.stats;
    if (!s || s.newTokens === 0) return [];
    return [
      {
        label: p.label,
        panel: i,
        tokensPerSecond: s.tokensPerSecond,
        targetPerToken: s.targetForwards / s.newTokens,
        draftPerToken: s.draftForwards / s.newTokens,
      },
    ];
  });
}
