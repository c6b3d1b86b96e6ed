import type { FileProgress, LoadProgress } from '../../protocol';

/** Shortest gap between two progress events for the same status (ms): streams send many chunks. */
export const PROGRESS_INTERVAL_MS = 100;
/** Window over which the download rate is measured (ms). */
export const RATE_WINDOW_MS = 3000;

interface Sample {
  at: number;
  bytes: number;
}

/**
 * Turns per-file byte counts into `LoadProgress` events: a table of every file, the total, the
 * percentage (null until every planned file's size is known) and the network rate (bytes/s over
 * the last few seconds, cached reads excluded).
 */
export class DownloadTracker {
  private readonly files: FileProgress[] = [];
  private planned: string[];
  private network = 0;
  private samples: Sample[] = [];
  private lastEmit = -Infinity;
  private current = '';

  constructor(
    private readonly model: string,
    /** Files expected, in order; a placeholder may be renamed once known (`rename`). */
    planned: string[],
    private readonly emit: (p: LoadProgress) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.planned = [...planned];
  }

  /** Replace a planned name (the ONNX file once the dtype is chosen) by one or more names. */
  rename(placeholder: string, names: string[]): void {
    const i = this.planned.indexOf(placeholder);
    if (i >= 0) this.planned.splice(i, 1, ...names);
    else this.planned.push(...names);
  }

  /** Drop a planned file that turned out not to exist (an optional config). */
  skip(name: string): void {
    this.planned = this.planned.filter((n) => n !== name);
    this.publish(name, 'fetching', true);
  }

  /** Bytes of `name` so far; `total` 0 means unknown. */
  update(name: string, loaded: number, total: number, fromCache: boolean): void {
    const f = this.entry(name);
    if (!fromCache) this.network += Math.max(0, loaded - f.loaded);
    f.loaded = loaded;
    f.total = total > 0 ? total : null;
    f.status = fromCache ? 'cached' : 'fetching';
    this.publish(name, f.status, false);
  }

  /** `name` is complete. */
  finish(name: string): void {
    const f = this.entry(name);
    if (f.status === 'fetching') f.status = 'done';
    f.total = f.loaded;
    this.publish(name, f.status === 'cached' ? 'cached' : 'done', true);
  }

  /** The session is being created from `name` (after every file is read), or is ready. */
  stage(name: string, status: 'compiling' | 'done'): void {
    this.publish(name, status, true);
  }

  /** The event as it would be sent now (also used by tests). */
  snapshot(status: LoadProgress['status']): LoadProgress {
    const known = this.files.filter((f) => this.planned.includes(f.name));
    const loaded = known.reduce((s, f) => s + f.loaded, 0);
    const total = known.reduce((s, f) => s + (f.total ?? f.loaded), 0);
    const allKnown = this.planned.every((n) => this.files.some((f) => f.name === n && f.total !== null));
    const cur = this.files.find((f) => f.name === this.current);
    return {
      model: this.model,
      file: this.current,
      status,
      fileLoaded: cur?.loaded ?? 0,
      fileTotal: cur?.total ?? cur?.loaded ?? 0,
      filesDone: this.files.filter((f) => this.planned.includes(f.name) && f.status !== 'fetching').length,
      filesTotal: this.planned.length,
      loaded,
      total,
      percent: allKnown && total > 0 ? Math.min(100, (100 * loaded) / total) : null,
      files: this.files.filter((f) => this.planned.includes(f.name)).map((f) => ({ ...f })),
      bytesPerSecond: status === 'fetching' ? this.rate() : null,
    };
  }

  private entry(name: string): FileProgress {
    let f = this.files.find((x) => x.name === name);
    if (!f) {
      f = { name, loaded: 0, total: null, status: 'fetching' };
      this.files.push(f);
    }
    return f;
  }

  private rate(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 250) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  private publish(name: string, status: LoadProgress['status'], force: boolean): void {
    const t = this.now();
    this.current = name;
    this.samples.push({ at: t, bytes: this.network });
    while (this.samples.length > 2 && t - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
    if (!force && t - this.lastEmit < PROGRESS_INTERVAL_MS) return;
    this.lastEmit = t;
    this.emit(this.snapshot(status));
  }
}
