/**
 * Load a model from a folder on disk: a directory picker or drag-and-drop. The files go to the
 * worker (`registerLocalFolder`) and the model becomes `local:<name>`; a link cannot carry it.
 */
import { useState, type DragEvent } from 'react';
import type { LocalFile, LocalFolderInfo } from '../../protocol';
import { useWorkerClient } from '../client-context';
import { formatBytes } from '../format';
import { filesFromDrop, filesFromInput, localNameOf, pickedFolderName } from '../local-folder';
import { useAppStore } from '../store';
import { parseWorkerError } from '../worker-error';

/** Directory input attributes React does not type. */
const DIRECTORY_PROPS = { webkitdirectory: '', directory: '' } as Record<string, string>;

/** The picker button, the drop zone, and what was loaded (or why not). */
export function LocalFolderPicker() {
  const client = useWorkerClient();
  const [status, setStatus] = useState<{ info: LocalFolderInfo; name: string } | { error: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);

  const register = async (files: LocalFile[]) => {
    if (files.length === 0) return;
    const name = localNameOf(pickedFolderName(files));
    setBusy(true);
    try {
      const info = await client.registerLocalFolder(name, files);
      setStatus({ info, name });
      useAppStore.getState().runOptionsApplied({ model: info.spec });
    } catch (err) {
      setStatus({ error: parseWorkerError(err).message });
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void filesFromDrop(e.dataTransfer).then(register, (err: unknown) => setStatus({ error: `Could not read the dropped folder: ${String(err)}` }));
  };

  return (
    <div className="field">
      <span className="field-label">Local folder</span>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="local-folder-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label className="button-like">
          {busy ? 'Reading…' : 'Choose folder…'}
          <input
            type="file"
            className="visually-hidden"
            data-testid="local-folder-input"
            multiple
            {...DIRECTORY_PROPS}
            onChange={(e) => {
              if (e.target.files) void register(filesFromInput(e.target.files));
              e.target.value = '';
            }}
          />
        </label>
        <span className="hint">or drop a model folder here (config.json, tokenizer.json, onnx/)</span>
      </div>
      {status && 'info' in status && (
        <p className="hint" data-testid="local-folder-status">
          Folder {status.name}: {status.info.files} files, {formatBytes(status.info.bytes)}, weights {status.info.dtypes.join(', ') || 'none found'}. A local
          folder stays in this page: a shared link cannot carry it.
        </p>
      )}
      {status && 'error' in status && (
        <p className="field-error" role="alert" data-testid="local-folder-error">
          {status.error}
        </p>
      )}
    </div>
  );
}
