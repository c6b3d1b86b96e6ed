/** A multi-panel line or bar chart over shared x values (one series per panel, colour + dash per panel). */
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartData } from '../../chart-data';
import { panelColor, panelDash } from './palette';

interface Props {
  data: ChartData;
  kind: 'line' | 'bar';
  xLabel: string;
  yDomain?: [number, number | 'auto'];
  /** Formats y values in the tooltip and ticks. */
  format?: (v: number) => string;
  /** Counts: integer ticks only. */
  integer?: boolean;
  /** Panels whose series are hidden (legend toggles). */
  hidden?: ReadonlySet<number>;
}

const HEIGHT = 220;

/**
 * A y-axis tick with as many decimals as it needs (up to 3): `0.075`, `0.15`, never the repeated
 * labels a fixed precision gives to ticks closer than its step (`0.1, 0.2, 0.2, 0.3`).
 */
export function axisTick(v: number): string {
  return String(Number(v.toFixed(3)));
}
const MARGIN = { top: 4, right: 12, bottom: 16, left: 0 };
const AXIS = { fontSize: 12, fill: '#3f3f46' };

/** No animation (it would fight the live updates), no dots on lines (hundreds of points), one shared HTML legend. */
export function SeriesChart({ data, kind, xLabel, yDomain, format, integer = false, hidden }: Props) {
  const common = (
    <>
      <CartesianGrid stroke="#e4e4e7" strokeDasharray="3 3" />
      <XAxis dataKey="x" tick={AXIS} label={{ value: xLabel, position: 'insideBottom', offset: -10, fontSize: 12 }} />
      <YAxis tick={AXIS} width={44} domain={yDomain ?? [0, 'auto']} tickFormatter={axisTick} allowDecimals={!integer} />
      <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' && format ? format(v) : String(v))} />
    </>
  );
  if (kind === 'bar') {
    return (
      <BarChart width="100%" height={HEIGHT} responsive data={data.rows} margin={MARGIN} accessibilityLayer={false}>
        {common}
        {data.series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={panelColor(s.panel)} hide={hidden?.has(s.panel)} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  }
  return (
    <LineChart width="100%" height={HEIGHT} responsive data={data.rows} margin={MARGIN} accessibilityLayer={false}>
      {common}
      {data.series.map((s) => (
        <Line
          key={s.key}
          type="linear"
          dataKey={s.key}
          name={s.label}
          hide={hidden?.has(s.panel)}
          stroke={panelColor(s.panel)}
          strokeDasharray={panelDash(s.panel)}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      ))}
    </LineChart>
  );
}
