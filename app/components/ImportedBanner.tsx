/** Says the panels show an imported run file (no model loaded), and what it was run with. */
import { useAppStore } from '../store';

/** Banner shown while an imported run is on screen. */
export function ImportedBanner() {
  const imported = useAppStore((s) => s.imported);
  const record = useAppStore((s) => s.lastRecord);
  if (!imported || !record) return null;
  const when = new Date(record.createdAt);
  const created = Number.isNaN(when.getTime()) ? record.createdAt : when.toLocaleString();
  return (
    <div className="banner banner-info" role="status" data-testid="imported-banner">
      <p>
        Viewing the imported run <strong>{imported.fileName}</strong>: {record.model.source}
        {record.draft ? ` with ${record.draft.source}` : ''}, seed {record.seed}, made {created}. No model is loaded; Generate runs it again.
      </p>
    </div>
  );
}
