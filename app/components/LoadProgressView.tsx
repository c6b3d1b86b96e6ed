/** Model loading progress from the worker's LoadProgress events. */
import { formatBytes } from '../format';
import { useAppStore } from '../store';

const STATUS = { fetching: 'Downloading', cached: 'From cache', done: 'Loaded', compiling: 'Compiling' } as const;

/** Progress bar and file line while a model loads; a one-line summary after. */
export function LoadProgressView() {
  const progress = useAppStore((s) => s.progress);
  const loading = useAppStore((s) => s.runState === 'loading');
  if (!progress) return null;
  const p = progress;
  const bytes = p.total > 0 ? `${formatBytes(p.loaded)} of ${formatBytes(p.total)}` : formatBytes(p.loaded);
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
        <span>{p.percent === null ? '' : `${Math.round(p.percent)}%`}</span>
      </div>
      <progress max={100} value={p.percent ?? undefined} aria-label="Model loading progress" />
      <p className="hint">
        {p.file} · {p.filesDone}/{p.filesTotal} files done · {bytes}
      </p>
    </div>
  );
}
