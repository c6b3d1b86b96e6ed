/** Legend of the current token colouring: a labelled gradient, rank steps, provenance or diff swatches. */
import { scaleGradient, sequentialColors } from '../color-scale';
import { TOKEN_GLYPHS } from '../format';
import { DIFF_STYLE, type DiffMark } from '../diff';
import { MODE_INFO, NATS_SCALE_MAX, RANK_BUCKETS, type HeatmapMode } from '../heatmap';
import type { ProvenanceStyle } from '../provenance';
import { activeComparison } from '../run-compare';
import { useAppStore } from '../store';
import { BASE_UI, STRATEGY_UI } from '../../strategies/ui-registry';

function ticks(mode: HeatmapMode): { t: number; label: string }[] {
  if (mode === 'probability') return [0, 0.25, 0.5, 0.75, 1].map((t) => ({ t, label: t === 0 ? '0' : t === 1 ? '1' : t.toFixed(2) }));
  const step = NATS_SCALE_MAX / 4;
  return [0, 1, 2, 3, 4].map((i) => ({ t: i / 4, label: i === 4 ? `${NATS_SCALE_MAX}+` : String(i * step) }));
}

function Swatches({ items }: { items: { key: string; color: string; label: string }[] }) {
  return (
    <ul className="swatches">
      {items.map((i) => (
        <li key={i.key} data-testid="legend-item" data-key={i.key}>
          <span className="swatch" style={{ background: i.color }} aria-hidden="true" />
          {i.label}
        </li>
      ))}
    </ul>
  );
}

function Gradient({ mode }: { mode: HeatmapMode }) {
  return (
    <>
      <div className="legend-bar" style={{ background: scaleGradient() }} aria-hidden="true" />
      <div className="legend-ticks">
        {ticks(mode).map((t) => (
          <span key={t.t} style={{ left: `${t.t * 100}%` }}>
            {t.label}
          </span>
        ))}
      </div>
      <p className="visually-hidden">Dark purple is the low end of the scale, green the middle, yellow the high end.</p>
    </>
  );
}

/** The categories of the strategies on screen, in registry order; strategies no kind claims show the base one. */
function provenanceItems(strategies: string[]) {
  const unclaimed = strategies.some((s) => !STRATEGY_UI.some((u) => u.strategies.includes(s)));
  const items = new Map<string, ProvenanceStyle>();
  for (const u of STRATEGY_UI) {
    if (!u.strategies.some((s) => strategies.includes(s)) && !(u === BASE_UI && unclaimed)) continue;
    for (const [key, style] of Object.entries<ProvenanceStyle>(u.provenance)) items.set(key, style);
  }
  return [...items].map(([key, s]) => ({ key, color: s.color, label: s.label }));
}

/** The legend for whatever the tokens show right now. */
export function Legend() {
  const mode = useAppStore((s) => s.heatmap);
  const diffMode = useAppStore((s) => s.diffMode);
  const panels = useAppStore((s) => s.panelViews ?? s.panels);
  const strategies = panels.map((p) => ('spec' in p ? p.spec.strategy : p.strategy));
  const comparing = useAppStore((s) => activeComparison(s) !== null);
  const noReference = diffMode && !comparing && !strategies.includes('greedy');
  const caption = comparing
    ? 'Token colour = where each panel departs from the same panel of the saved run'
    : noReference
      ? 'Comparison needs a greedy panel: add one and press Generate (colours show the heatmap meanwhile)'
      : diffMode
        ? 'Token colour = where each panel departs from the greedy panel'
        : MODE_INFO[mode].caption;
  return (
    <figure className="legend" data-testid="legend" data-mode={diffMode || comparing ? 'diff' : mode}>
      <figcaption>{caption}</figcaption>
      {comparing || (diffMode && !noReference) ? (
        <Swatches
          items={(Object.entries(DIFF_STYLE) as [DiffMark, { color: string; label: string }][]).map(([k, s]) => ({
            key: k,
            color: s.color,
            label: comparing ? s.label.replace('the greedy panel', 'the saved run').replace('from greedy', 'from the saved run') : s.label,
          }))}
        />
      ) : mode === 'rank' ? (
        <Swatches items={RANK_BUCKETS.map((b) => ({ key: b.label, color: sequentialColors(b.t).background, label: `rank ${b.label}` }))} />
      ) : mode === 'provenance' ? (
        <Swatches items={provenanceItems(strategies)} />
      ) : (
        <Gradient mode={mode} />
      )}
      <p className="legend-glyphs hint" data-testid="legend-glyphs">
        Token text marks:{' '}
        {TOKEN_GLYPHS.map((g, i) => (
          <span key={g.glyph}>
            {i > 0 && ' · '}
            <span className="mono">{g.glyph}</span> {g.meaning}
          </span>
        ))}
      </p>
    </figure>
  );
}
