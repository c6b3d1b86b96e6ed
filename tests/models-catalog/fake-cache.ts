// An in-memory Cache API (the subset fetch-file.ts and cache-store.ts use), for Node tests.

/** A Cache keyed by URL. */
export class FakeCache {
  readonly entries = new Map<string, Response>();
  async match(req: RequestInfo | URL): Promise<Response | undefined> {
    const r = this.entries.get(urlOf(req));
    return r?.clone();
  }
  async put(req: RequestInfo | URL, res: Response): Promise<void> {
    this.entries.set(urlOf(req), res);
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((u) => new Request(u));
  }
  async delete(req: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(urlOf(req));
  }
}

function urlOf(req: RequestInfo | URL): string {
  return typeof req === 'string' ? req : req instanceof URL ? req.href : req.url;
}

/** Install `caches` with one bucket per name; returns the buckets. */
export function installFakeCaches(): Map<string, FakeCache> {
  const buckets = new Map<string, FakeCache>();
  (globalThis as unknown as { caches: unknown }).caches = {
    open: async (name: string) => {
      if (!buckets.has(name)) buckets.set(name, new FakeCache());
      return buckets.get(name);
    },
  };
  return buckets;
}

/** Remove the fake `caches`. */
export function removeFakeCaches(): void {
  delete (globalThis as unknown as { caches?: unknown }).caches;
}
