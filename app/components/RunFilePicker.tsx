/** A button that opens a run file, checks it off the page's thread, and explains a rejected one. */
import { useState } from 'react';
import type { RunRecord } from '../../protocol';
import { readRunFileOffThread } from '../run-import';

interface Props {
  label: string;
  /** `data-testid` of the file input; its error list gets `<testId without -file>-error`. */
  testId: string;
  /** "imported", "compared": the verb of the rejection message. */
  verb: string;
  disabled?: boolean;
  onRecord(record: RunRecord, fileName: string): void;
}

/** The file button and, for a rejected file, its problems. */
export function RunFilePicker({ label, testId, verb, disabled = false, onRecord }: Props) {
  const [errors, setErrors] = useState<{ file: string; list: string[] } | null>(null);

  const open = async (file: File) => {
    const result = await readRunFileOffThread(file);
    if (!result.ok) return setErrors({ file: file.name, list: result.errors });
    setErrors(null);
    onRecord(result.record, file.name);
  };

  return (
    <div className="import-run">
      <label className={disabled ? 'button-like disabled' : 'button-like'}>
        {label}
        <input
          className="visually-hidden"
          type="file"
          accept="application/json,.json"
          data-testid={testId}
          disabled={disabled}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void open(file);
          }}
        />
      </label>
      {errors && (
        <div className="validation" role="alert" data-testid={testId.replace(/-file$/, '-error')}>
          <p>
            “{errors.file}” cannot be {verb}:
          </p>
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
