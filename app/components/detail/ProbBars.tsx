/** Horizontal probability bars: one row per token, the highlighted row marked for every reader. */
import { formatProb } from '../../format';

/** One bar. */
export interface BarRow {
  key: string | number;
  label: string;
  /** Value in [0, 1] (clamped for drawing; the number shown is exact). */
  value: number;
  highlight?: boolean;
  /** Text after the number (e.g. "chosen"). */
  note?: string;
}

interface Props {
  rows: BarRow[];
  testId?: string;
  /** Formats the number shown (probabilities by default). */
  format?: (v: number) => string;
}

/** A compact list of labelled bars. */
export function ProbBars({ rows, testId, format = formatProb }: Props) {
  return (
    <ol className="alternatives">
      {rows.map((r) => (
        <li key={r.key} className={r.highlight ? 'alt chosen' : 'alt'} data-testid={testId} aria-current={r.highlight || undefined}>
          <span className="alt-text">{r.label}</span>
          <span className="alt-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(0, Math.min(1, r.value)) * 100}%` }} />
          </span>
          <span className="alt-prob">
            {format(r.value)}
            {r.note && <span className="alt-note"> {r.note}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
