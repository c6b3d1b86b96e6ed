/** Legend of the token colour scale, labelled with probability values. */
import { scaleGradient } from '../color-scale';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** Gradient bar with probability ticks. */
export function Legend() {
  return (
    <figure className="legend" data-testid="legend">
      <figcaption>Token colour = probability the model gave it</figcaption>
      <div className="legend-bar" style={{ background: scaleGradient() }} aria-hidden="true" />
      <div className="legend-ticks">
        {TICKS.map((t) => (
          <span key={t} style={{ left: `${t * 100}%` }}>
            {t === 0 ? '0' : t === 1 ? '1' : t.toFixed(2)}
          </span>
        ))}
      </div>
      <p className="visually-hidden">Dark purple means probability near 0, green around 0.5, yellow near 1.</p>
    </figure>
  );
}
