/** "Compare with a saved run…": opens a run file (checked like Import) to diff the run on screen against. */
import { useState } from 'react';
import { readRunFile } from '../run-import';
import { useAppStore } from '../store';

/** A file button and the explanation of a rejected file. */
export function CompareRun() {
  const [errors, setErrors] = useState<{ file: string; list: string[] } | null>(null);

  const open = async (file: File) => {
    const result = await readRunFile(file);
    if (!result.ok) return setErrors({ file: file.name, list: result.errors });
    setErrors(null);
    useAppStore.getState().comparisonOpened({ fileName: file.name, record: result.record });
  };

  return (
    <div className="import-run">
      <label className="button-like">
        Compare with a saved run…
        <input
          className="visually-hidden"
          type="file"
          accept="application/json,.json"
          data-testid="compare-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void open(file);
          }}
        />
      </label>
      {errors && (
        <div className="validation" role="alert" data-testid="compare-error">
          <p>“{errors.file}” cannot be compared:</p>
          <ul>
            {errors.list.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
