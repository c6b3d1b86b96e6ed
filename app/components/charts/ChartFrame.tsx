/**
 * A chart card: title, one-sentence description, and the chart drawn from `data`. New data waits
 * for this chart's own animation frame (one chart per frame), and the chart element is memoised on
 * the data it shows, so a chart whose data did not change is not redrawn.
 */
import { useMemo, type ReactNode } from 'react';
import { useFrameQueued } from '../../use-frame-queued';

interface Props<T> {
  title: string;
  description: string;
  testId: string;
  data: T;
  /** Panels whose series the legend hid. */
  hidden: ReadonlySet<number>;
  render: (data: T, hidden: ReadonlySet<number>) => ReactNode;
}

/** Figure wrapper shared by every chart. */
export function ChartFrame<T>({ title, description, testId, data, hidden, render }: Props<T>) {
  const shown = useFrameQueued(data);
  // `render` is a fresh closure each time; the chart depends only on the data shown and the hidden series.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const chart = useMemo(() => render(shown, hidden), [shown, hidden]);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="hint">{description}</span>
      </figcaption>
      <div className="chart-body">{chart}</div>
    </figure>
  );
}
