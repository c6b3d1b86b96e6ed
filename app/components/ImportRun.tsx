/** Import of an exported run file: checked field by field, then shown with no model loaded. */
import { useState } from 'react';
import { readRunFileOffThread } from '../run-import';
import { useAppStore } from '../store';

/** A file button and the explanation of a rejected file. */
export function ImportRun() {
  const busy = useAppStore((s) => s.runState === 'loading' || s.runState === 'running');
  const [errors, setErrors] = useState<{ file: string; list: string[] } | null>(null);

  const open = async (file: File) => {
    const result = await readRunFileOffThread(file);
    if (!result.ok) return setErrors({ file: file.name, list: result.errors });
    setErrors(null);
    useAppStore.getState().recordImported(result.record, file.name);
  };

  return (
    <div className="import-run">
      <label className={busy ? 'button-like disabled' : 'button-like'}>
        Import run…
        <input
          className="visually-hidden"
          type="file"
          accept="application/json,.json"
          data-testid="import-file"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void open(file);
          }}
        />
      </label>
      {errors && (
        <div className="validation" role="alert" data-testid="import-error">
          <p>“{errors.file}” cannot be imported:</p>
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
