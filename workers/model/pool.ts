/**
 * The loaded models of the worker, by key (`model|dtype|backend`). Sessions hold the weights (tens
 * to hundreds of MB each), so at most `capacity` stay resident: loading another unloads the least
 * recently used one first, never one a run has pinned (a run pins the models it uses, so a
 * speculative pair counts as its two models and is never split while it runs).
 */
export class ModelPool<M> {
  /** Entries in recency order, least recently used first; pending loads included. */
  private readonly entries = new Map<string, Promise<M>>();
  private readonly pins = new Map<string, number>();

  constructor(
    /** Most models resident at once (exceeded only when every resident model is pinned). */
    private readonly capacity: number,
    /** Frees a model's sessions. */
    private readonly release: (model: M) => Promise<void>,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Keys resident or loading, least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The model under `key` (resident or loading) without touching the recency order, or undefined. */
  peek(key: string): Promise<M> | undefined {
    return this.entries.get(key);
  }

  /**
   * The model under `key`, marked most recently used; absent, it is loaded with `load` once the
   * least recently used unpinned models beyond `capacity − 1` are released. A failed load is
   * forgotten (the next call loads again).
   */
  get(key: string, load: () => Promise<M>): Promise<M> {
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const freed = this.evict(this.capacity - 1, key);
    const p = freed.then(load);
    this.entries.set(key, p);
    p.catch(() => {
      if (this.entries.get(key) === p) this.entries.delete(key);
    });
    return p;
  }

  /** Keep `key` resident until as many `unpin` calls (a run in progress uses it). */
  pin(key: string): void {
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
  }

  unpin(key: string): void {
    const n = (this.pins.get(key) ?? 0) - 1;
    if (n > 0) this.pins.set(key, n);
    else this.pins.delete(key);
  }

  /** Unload `key` (now, or when its pending load ends). */
  async delete(key: string): Promise<void> {
    const p = this.entries.get(key);
    if (!p) return;
    this.entries.delete(key);
    await this.releaseLater(p);
  }

  /** Unload every model, pinned or not (after a device loss). */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const p of all) await this.releaseLater(p);
  }

  /** Release least recently used unpinned entries (other than `keep`) until at most `limit` remain. */
  private async evict(limit: number, keep: string): Promise<void> {
    const victims: Promise<M>[] = [];
    for (const [key, p] of this.entries) {
      if (this.entries.size <= limit) break;
      if (key === keep || this.pins.has(key)) continue;
      this.entries.delete(key);
      victims.push(p);
    }
    for (const p of victims) await this.releaseLater(p);
  }

  private async releaseLater(p: Promise<M>): Promise<void> {
    const m = await p.catch(() => null);
    if (m !== null) await this.release(m).catch(() => undefined);
  }
}
