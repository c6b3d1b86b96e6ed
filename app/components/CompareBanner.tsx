/** Says which saved run the panels are compared with, or why they cannot be; and stops comparing. */
import { comparisonProblem } from '../run-compare';
import { useAppStore } from '../store';

/** Shown while a saved run is open for comparison. */
export function CompareBanner() {
  const comparison = useAppStore((s) => s.comparison);
  const current = useAppStore((s) => (s.lastRecordStale ? null : s.lastRecord));
  const running = useAppStore((s) => s.lastRecordStale);
  if (!comparison) return null;
  const saved = comparison.record;
  // A run in flight has no record yet: the comparison comes back when it ends.
  const problem = running ? null : comparisonProblem(current, saved);
  return (
    <div className={problem ? 'banner banner-warning' : 'banner banner-info'} role="status" data-testid="compare-banner">
      <p>
        Comparing each panel with the same panel of the saved run <strong>{comparison.fileName}</strong> ({saved.model.source}, seed {saved.seed},{' '}
        {saved.panels.map((p) => p.strategy).join(', ')}).
        {running && ' The comparison shows again when the run on screen ends.'}
        {problem && <span data-testid="compare-problem"> It cannot be compared: {problem}.</span>}
      </p>
      <div className="banner-actions">
        <button type="button" data-testid="compare-close" onClick={() => useAppStore.getState().comparisonOpened(null)}>
          Stop comparing
        </button>
      </div>
    </div>
  );
}
