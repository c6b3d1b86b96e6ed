/**
 * "Open a llama2.c checkpoint…": pick or drop a Karpathy llama2.c checkpoint `.bin` and its
 * `tokenizer.bin`; the decode worker converts them (`importLlama2c`) into a model folder that
 * becomes `local:<name>` and is selected. A link cannot carry it, like a local folder.
 */
import { useState, type DragEvent } from 'react';
import type { Llama2cImportInfo } from '../../protocol';
import { useWorkerClient } from '../client-context';
import { formatBytes } from '../format';
import { classifyLlama2cFiles, llama2cLocalName } from '../llama2c-files';
import { useAppStore } from '../store';
import { parseWorkerError } from '../worker-error';

/** The outcome shown under the button: what was converted, or why not. */
type ImportStatus = { info: Llama2cImportInfo; model: string; tokenizer: string } | { error: string };

/** One line on what was converted: files, shape of the network, the spec it is loaded as. */
function convertedNote(s: { info: Llama2cImportInfo; model: string; tokenizer: string }): string {
  const h = s.info.header;
  const heads = h.nKvHeads === h.nHeads ? `${h.nHeads} heads` : `${h.nHeads} heads (${h.nKvHeads} key/value)`;
  return (
    `Converted ${s.model} with ${s.tokenizer}: ${h.nLayers} layers, dim ${h.dim}, ${heads}, vocab ${h.vocabSize.toLocaleString('en-US')}, ` +
    `context ${h.seqLen} tokens. Selected as ${s.info.spec} (${formatBytes(s.info.bytes)}); it stays in this page: a shared link cannot carry it.`
  );
}

/** The button with its file input, the drop zone, progress, and the result or error inline. */
export function Llama2cImport() {
  const client = useWorkerClient();
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const importFiles = async (files: File[]) => {
    if (busy !== null || files.length === 0) return;
    const pick = classifyLlama2cFiles(files);
    if (!pick.ok) {
      setStatus({ error: pick.reason });
      return;
    }
    setBusy(`Converting ${pick.model.name} (${formatBytes(pick.model.size)}) with ${pick.tokenizer.name}…`);
    try {
      const info = await client.importLlama2c(llama2cLocalName(pick.model.name), pick.model, pick.tokenizer);
      setStatus({ info, model: pick.model.name, tokenizer: pick.tokenizer.name });
      const store = useAppStore.getState();
      // llama2.c models have no chat template: the prompt is encoded as is, after BOS.
      // The draft is cleared: the previous one rarely shares the imported tokenizer, and a pair that
      // does not would refuse every run.
      store.runOptionsApplied({ model: info.spec, draft: null, chatTemplate: false });
      // The conversion writes fp32 only; a weights choice it lacks would fail the first run.
      if (store.dtype !== null && !info.dtypes.includes(store.dtype)) store.dtypeChanged(null);
    } catch (err) {
      setStatus({ error: parseWorkerError(err).message });
    } finally {
      setBusy(null);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void importFiles(Array.from(e.dataTransfer.files));
  };

  return (
    <div className="field">
      <span className="field-label">llama2.c checkpoint</span>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="llama2c-drop"
        aria-busy={busy !== null || undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label className={`button-like${busy !== null ? ' disabled' : ''}`}>
          Open a llama2.c checkpoint…
          <input
            type="file"
            className="visually-hidden"
            data-testid="llama2c-input"
            multiple
            accept=".bin"
            disabled={busy !== null}
            onChange={(e) => {
              if (e.target.files) void importFiles(Array.from(e.target.files));
              e.target.value = '';
            }}
          />
        </label>
        <span className="hint">or drop both files here: the checkpoint (e.g. stories15M.bin) and its tokenizer.bin</span>
      </div>
      {busy !== null && (
        <p className="hint" role="status" data-testid="llama2c-busy">
          {busy}
        </p>
      )}
      {busy === null && status && 'info' in status && (
        <p className="hint" role="status" data-testid="llama2c-status">
          {convertedNote(status)}
        </p>
      )}
      {busy === null && status && 'error' in status && (
        <p className="field-error" role="alert" data-testid="llama2c-error">
          {status.error}
        </p>
      )}
    </div>
  );
}
