/** Import of an exported run file: checked field by field, then shown with no model loaded. */
import { useAppStore } from '../store';
import { RunFilePicker } from './RunFilePicker';

/** "Import run…" (disabled while a run is in progress). */
export function ImportRun() {
  const busy = useAppStore((s) => s.runState === 'loading' || s.runState === 'running');
  return (
    <RunFilePicker
      label="Import run…"
      testId="import-file"
      verb="imported"
      disabled={busy}
      onRecord={(record, name) => useAppStore.getState().recordImported(record, name)}
    />
  );
}
