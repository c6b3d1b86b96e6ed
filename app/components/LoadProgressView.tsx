/** Model loading progress from the worker's LoadProgress events: per file and in total, with the rate; cancellable. */
import type { FileProgress, LoadProgress } from '../../protocol';
import { fireAndForget, useController } from '../controller-context';
import { formatBytes } from '../format';
import { useAppStore } from '../store';

const STATUS = { fetching: 'Downloading', cached: 'From cache', done: 'Loaded', compiling: 'Compiling' } as const;
const FILE_STATUS = { fetching: 'downloading', cached: 'from cache', done: 'downloaded' } as const;

function bytesOf(loaded: number, total: number | null): string {
  return total !== null && total > 0 ? `${formatBytes(loaded)} of ${formatBytes(total)}` : formatBytes(loaded);
}

/** `1.2 MB/s`, or empty when no rate is known. */
function rateOf(p: LoadProgress): string {
  return p.bytesPerSecond ? `${formatBytes(p.bytesPerSecond)}/s` : '';
}

function FileRow({ f }: { f: FileProgress }) {
  const pct = f.total ? Math.round((100 * f.loaded) / f.total) : null;
  return (
    <tr data-testid="download-file" data-file={f.name} data-status={f.status}>
      <td className="file-name">{f.name}</td>
      <td>{bytesOf(f.loaded, f.total)}</td>
      <td>{pct === null ? '' : `${pct}%`}</td>
      <td>{FILE_STATUS[f.status]}</td>
    </tr>
  );
}

/** Progress bar, totals and the file table while a model loads; a one-line summary after. */
export function LoadProgressView() {
  const progress = useAppStore((s) => s.progress);
  const loading = useAppStore((s) => s.runState === 'loading');
  const stopping = useAppStore((s) => s.stopping);
  const controller = useController();
  if (!progress) return null;
  const p = progress;
  const bytes = bytesOf(p.loaded, p.total > 0 ? p.total : null);
  if (!loading) {
    return (
      <p className="load-progress done" data-testid="load-progress">
        Model {p.model}: {p.filesTotal} file{p.filesTotal === 1 ? '' : 's'}, {bytes}
      </p>
    );
  }
  return (
    <div className="load-progress" role="status" data-testid="load-progress">
      <div className="load-line">
        <span>
          {STATUS[p.status]} {p.model}
        </span>
        <span data-testid="download-total">
          {bytes}
          {p.percent === null ? '' : ` · ${Math.round(p.percent)}%`}
          {rateOf(p) && ` · ${rateOf(p)}`}
        </span>
      </div>
      <progress max={100} value={p.percent ?? undefined} aria-label="Model loading progress" />
      {p.files && p.files.length > 0 && (
        <table className="download-files" data-testid="download-files">
          <tbody>
            {p.files.map((f) => (
              <FileRow key={f.name} f={f} />
            ))}
          </tbody>
        </table>
      )}
      <div className="load-line">
        <p className="hint">
          {p.file} · {p.filesDone}/{p.filesTotal} files done
        </p>
        <button type="button" className="quiet" data-testid="cancel-download" disabled={stopping} onClick={() => fireAndForget(controller.stopRun())}>
          {stopping ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
