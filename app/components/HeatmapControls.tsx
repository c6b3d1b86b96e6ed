/** What token colours show: a heatmap mode (radio group) or the comparison with the greedy panel. */
import { HEATMAP_MODES, MODE_INFO } from '../heatmap';
import { activeComparison } from '../run-compare';
import { useAppStore } from '../store';

/** Segmented radio group plus the diff-mode checkbox. */
export function HeatmapControls() {
  const mode = useAppStore((s) => s.heatmap);
  const diffMode = useAppStore((s) => s.diffMode);
  // While a saved run colours the tokens, the heatmap choice would change nothing on screen.
  const comparing = useAppStore((s) => activeComparison(s) !== null);
  const actions = useAppStore.getState();
  return (
    <div className="view-controls">
      <fieldset className="segmented" disabled={diffMode || comparing}>
        <legend>Colour tokens by</legend>
        {HEATMAP_MODES.map((m) => (
          <label key={m} className={m === mode ? 'segment selected' : 'segment'}>
            <input
              type="radio"
              name="heatmap-mode"
              value={m}
              checked={m === mode}
              data-testid={`heatmap-${m}`}
              onChange={() => actions.heatmapModeChanged(m)}
            />
            {MODE_INFO[m].label}
          </label>
        ))}
      </fieldset>
      <label className="checkbox diff-toggle">
        <input type="checkbox" data-testid="diff-toggle" checked={diffMode} onChange={(e) => actions.diffModeChanged(e.target.checked)} />
        Compare with the greedy panel
      </label>
    </div>
  );
}
