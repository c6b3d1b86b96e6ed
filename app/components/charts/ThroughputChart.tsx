/** Per-panel speed (tokens/s) and cost (target and draft forward passes per token) as bars. */
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import type { Throughput } from '../../chart-data';
import { panelColor } from './palette';

interface Props {
  rows: Throughput[];
  metric: 'tokensPerSecond' | 'targetPerToken';
}

const AXIS = { fontSize: 12, fill: '#3f3f46' };

/** One bar per panel, coloured like the panel. */
export function ThroughputChart({ rows, metric }: Props) {
  const data = rows.map((r) => ({ name: String(r.panel + 1), label: r.label, value: r[metric], draft: r.draftPerToken }));
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : String(v));
  return (
    <BarChart width="100%" height={200} responsive data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }} accessibilityLayer={false}>
      <CartesianGrid stroke="#e4e4e7" strokeDasharray="3 3" />
      <XAxis dataKey="name" tick={AXIS} />
      <YAxis tick={AXIS} width={44} />
      <Tooltip isAnimationActive={false} formatter={fmt} labelFormatter={(_, p) => String(p[0]?.payload?.label ?? '')} />
      <Bar dataKey="value" name={metric === 'tokensPerSecond' ? 'tokens/s' : 'target passes per token'} isAnimationActive={false}>
        {data.map((d, i) => (
          <Cell key={d.name} fill={panelColor(rows[i]!.panel)} />
        ))}
      </Bar>
      {metric === 'targetPerToken' && <Bar dataKey="draft" name="draft passes per token" fill="#a1a1aa" isAnimationActive={false} />}
    </BarChart>
  );
}
