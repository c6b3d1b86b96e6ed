/** "Compare with a saved run…": opens a run file (checked like Import) to diff the run on screen against. */
import { useAppStore } from '../store';
import { RunFilePicker } from './RunFilePicker';

/** The compare button; a rejected file is explained like an import. */
export function CompareRun() {
  return (
    <RunFilePicker
      label="Compare with a saved run…"
      testId="compare-file"
      verb="compared"
      onRecord={(record, fileName) => useAppStore.getState().comparisonOpened({ fileName, record })}
    />
  );
}
