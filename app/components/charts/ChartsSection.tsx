/**
 * Live charts of the panels on screen: per-step entropy and chosen-token probability, speculative
 * accepted length per iteration and its histogram, CNTP trials per step, speed and forward passes.
 * SVG charts are costly to lay out, so while a run streams they follow the panels at most every
 * CHART_INTERVAL_MS, one chart per frame within a main-thread budget (use-frame-queued.ts), with
 * long per-step lines averaged to LIVE_POINTS points, and not at all while scrolled out of view (the
 * token streams still update every frame); the finished run is always drawn, every token up to
 * FINAL_POINTS per line and averaged buckets beyond.
 */
import { useMemo, useRef, useState, type ComponentProps } from 'react';
import { acceptedHistogram, acceptedPerIteration, perStep, throughput, trialsPerStep, type ChartPanel } from '../../chart-data';
import { useAppStore } from '../../store';
import { useInView } from '../../use-in-view';
import { useThrottled } from '../../use-throttled';
import { ChartFrame } from './ChartFrame';
import { ChartLegend } from './ChartLegend';
import { SeriesChart } from './SeriesChart';
import { ThroughputChart } from './ThroughputChart';

/** Throttle interval of the charts during a run, ms. */
export const CHART_INTERVAL_MS = 1000;

const two = (v: number) => v.toFixed(2);

/** `next` when its JSON differs from the previous value's, else the previous object (so its chart skips a redraw). */
function useStable<T>(next: T): T {
  const json = JSON.stringify(next);
  // Keyed on the JSON on purpose: equal content keeps the first object.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => next, [json]);
}

/** A per-step / per-iteration chart: its card text, its data and how SeriesChart draws it. */
interface SeriesChartSpec {
  key: 'entropy' | 'prob' | 'accepted' | 'histogram' | 'trials';
  title: string;
  description: string;
  testId: string;
  chart: Omit<ComponentProps<typeof SeriesChart>, 'data'>;
  /** Shown from the first token on; the others only when some panel has such data. */
  always?: boolean;
}

/** The series charts, in grid order. */
const SERIES_CHARTS: readonly SeriesChartSpec[] = [
  {
    key: 'entropy',
    title: 'Entropy per step',
    description: 'Entropy of the model’s distribution at each generated token, nats.',
    testId: 'chart-entropy',
    chart: { kind: 'line', xLabel: 'token', format: two },
    always: true,
  },
  {
    key: 'prob',
    title: 'Probability of the chosen token',
    description: 'The model’s raw probability of each token the panel emitted.',
    testId: 'chart-prob',
    chart: { kind: 'line', xLabel: 'token', yDomain: [0, 1], format: two },
    always: true,
  },
  {
    key: 'accepted',
    title: 'Accepted drafts per iteration',
    description: 'Speculative panels: drafts the target accepted in each iteration (n_acc).',
    testId: 'chart-accepted',
    chart: { kind: 'line', xLabel: 'iteration', integer: true },
  },
  {
    key: 'histogram',
    title: 'Accepted length histogram',
    description: 'How many iterations accepted 0, 1, 2, … drafts.',
    testId: 'chart-histogram',
    chart: { kind: 'bar', xLabel: 'accepted drafts', integer: true },
  },
  {
    key: 'trials',
    title: 'CNTP trials per step',
    description: 'Trials N run at each step (1 = confident, a single draw).',
    testId: 'chart-trials',
    chart: { kind: 'bar', xLabel: 'step', integer: true },
  },
];

/** The speed charts (shown once any panel has stats). */
const THROUGHPUT_CHARTS: readonly { title: string; description: string; testId: string; metric: ComponentProps<typeof ThroughputChart>['metric'] }[] = [
  {
    title: 'Tokens per second',
    description: 'Per panel; panels share the device, so compare them within one run.',
    testId: 'chart-speed',
    metric: 'tokensPerSecond',
  },
  {
    title: 'Forward passes per token',
    description: 'Target passes (panel colour) and draft passes (grey) per generated token.',
    testId: 'chart-forwards',
    metric: 'targetPerToken',
  },
];

/** Points per line while a run streams (buckets are averaged). */
export const LIVE_POINTS = 64;
/**
 * Points per line of a finished run: every token up to this many, then averaged buckets (a chart
 * is narrower than 512 px per line anyway). 6 × 2048 points drawn as SVG held the page for seconds
 * when a large run file was imported.
 */
export const FINAL_POINTS = 512;

function useChartData(panels: ChartPanel[], live: boolean) {
  const all = useMemo(
    () => ({
      entropy: perStep(panels, (t) => t.entropy, live ? LIVE_POINTS : FINAL_POINTS),
      prob: perStep(panels, (t) => t.prob, live ? LIVE_POINTS : FINAL_POINTS),
      accepted: acceptedPerIteration(panels),
      histogram: acceptedHistogram(panels),
      trials: trialsPerStep(panels),
      speed: throughput(panels),
    }),
    [panels, live],
  );
  return {
    entropy: useStable(all.entropy),
    prob: useStable(all.prob),
    accepted: useStable(all.accepted),
    histogram: useStable(all.histogram),
    trials: useStable(all.trials),
    speed: useStable(all.speed),
  };
}

/** Every chart that has data, in a responsive grid; an empty landmark before the first run. */
export function ChartsSection() {
  const ref = useRef<HTMLElement>(null);
  const inView = useInView(ref);
  const liveViews = useAppStore((s) => s.panelViews);
  const running = useAppStore((s) => s.runState === 'running');
  const strategies = useAppStore((s) => s.catalog?.strategies);
  const views = useThrottled(liveViews, running ? CHART_INTERVAL_MS : 0, !inView);
  const panels: ChartPanel[] = useMemo(
    () =>
      (views ?? []).map((v, i) => ({
        label: `${i + 1} · ${strategies?.find((s) => s.id === v.spec.strategy)?.label ?? v.spec.strategy}`,
        tokens: v.tokens,
        stats: v.stats,
      })),
    [views, strategies],
  );
  const data = useChartData(panels, running);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());
  const toggle = (panel: number) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(panel)) next.add(panel);
      return next;
    });
  const empty = data.entropy.rows.length === 0;
  return (
    <section ref={ref} className="charts" aria-label={empty ? undefined : 'Charts'} data-testid={empty ? undefined : 'charts'}>
      {!empty && (
        <>
          <h2 className="section-title">Charts</h2>
          <ChartLegend labels={panels.map((p) => p.label)} hidden={hidden} onToggle={toggle} />
          <div className="chart-grid">
            {SERIES_CHARTS.filter((c) => c.always || data[c.key].series.length > 0).map((c) => (
              <ChartFrame
                key={c.testId}
                title={c.title}
                description={c.description}
                testId={c.testId}
                data={data[c.key]}
                hidden={hidden}
                render={(d, h) => <SeriesChart data={d} hidden={h} {...c.chart} />}
              />
            ))}
            {data.speed.length > 0 &&
              THROUGHPUT_CHARTS.map((c) => (
                <ChartFrame
                  key={c.testId}
                  title={c.title}
                  description={c.description}
                  testId={c.testId}
                  data={data.speed}
                  hidden={hidden}
                  render={(d, h) => <ThroughputChart rows={d.filter((r) => !h.has(r.panel))} metric={c.metric} />}
                />
              ))}
          </div>
        </>
      )}
    </section>
  );
}
