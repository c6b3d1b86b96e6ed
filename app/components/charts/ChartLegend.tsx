/** One legend for every chart: each panel's number, name, colour and line dash; a button shows or hides its series. */
import { panelColor, panelDash } from './palette';

interface Props {
  labels: string[];
  /** Panel indices whose series are hidden in every chart. */
  hidden: ReadonlySet<number>;
  onToggle(panel: number): void;
}

/** Swatch lines drawn with the same stroke as the chart series; each entry is a toggle button. */
export function ChartLegend({ labels, hidden, onToggle }: Props) {
  return (
    <ul className="chart-legend" aria-label="Chart series (press to show or hide)">
      {labels.map((label, i) => (
        <li key={i}>
          <button type="button" className="quiet series-toggle" aria-pressed={!hidden.has(i)} data-testid="series-toggle" onClick={() => onToggle(i)}>
            <svg width="28" height="10" aria-hidden="true" focusable="false">
              <line x1="1" y1="5" x2="27" y2="5" stroke={panelColor(i)} strokeWidth="3" strokeDasharray={panelDash(i)} />
            </svg>
            {label}
          </button>
        </li>
      ))}
    </ul>
  );
}
