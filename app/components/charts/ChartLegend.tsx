/** One legend for every chart: each panel's number, name, colour and line dash. */
import { panelColor, panelDash } from './palette';

/** Swatch lines drawn with the same stroke as the chart series. */
export function ChartLegend({ labels }: { labels: string[] }) {
  return (
    <ul className="chart-legend" aria-label="Chart series">
      {labels.map((label, i) => (
        <li key={i}>
          <svg width="28" height="10" aria-hidden="true" focusable="false">
            <line x1="1" y1="5" x2="27" y2="5" stroke={panelColor(i)} strokeWidth="3" strokeDasharray={panelDash(i)} />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
