/** "Models on this device": cached model folders with sizes and a delete button, loaded sessions with Unload. */
import { useEffect, useState } from 'react';
import { useWorkerClient } from '../client-context';
import { formatBytes } from '../format';
import { refreshCachedModels, useCachedModels } from '../model-cache-state';
import { useAppStore } from '../store';
import { parseWorkerError } from '../worker-error';

/** The cache list refreshes when the page opens and after every finished or failed run. */
export function ModelCacheView() {
  const client = useWorkerClient();
  const cached = useCachedModels();
  const runState = useAppStore((s) => s.runState);
  const busy = runState === 'loading' || runState === 'running';
  const [loaded, setLoaded] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (busy) return;
    void refreshCachedModels(client);
    client.loadedModels().then(setLoaded, () => setLoaded([]));
  }, [client, busy]);

  const remove = async (base: string, label: string) => {
    try {
      const n = await client.deleteCachedModel(base);
      setMessage(`Deleted ${label} (${n} file${n === 1 ? '' : 's'})`);
    } catch (err) {
      setMessage(`Could not delete ${label}: ${parseWorkerError(err).message}`);
    }
    await refreshCachedModels(client);
  };

  const unload = async () => {
    await client.unloadAll().catch(() => undefined);
    setLoaded(await client.loadedModels().catch(() => []));
    setMessage('Models unloaded from memory (their files stay cached)');
  };

  const total = cached.reduce((s, c) => s + c.bytes, 0);
  return (
    <details className="field-group cache-view" data-testid="cache-view">
      <summary>
        Models on this device ({cached.length}, {formatBytes(total)})
      </summary>
      {cached.length === 0 && <p className="hint">No downloaded models are cached in this browser.</p>}
      <ul className="cache-list">
        {cached.map((c) => (
          <li key={c.base} data-testid="cache-entry" data-base={c.base}>
            <span className="cache-label" title={c.base}>
              {c.label}
            </span>
            <span className="hint">
              {c.files} files · {formatBytes(c.bytes)}
            </span>
            <button type="button" className="quiet" data-testid="cache-delete" disabled={busy} onClick={() => void remove(c.base, c.label)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <p className="hint" data-testid="loaded-models">
        In memory: {loaded.length === 0 ? 'no model loaded' : loaded.map((k) => k.split('|')[0]).join(', ')}
      </p>
      <div className="buttons">
        <button type="button" data-testid="cache-refresh" onClick={() => void refreshCachedModels(client)}>
          Refresh
        </button>
        <button type="button" data-testid="unload-models" disabled={busy || loaded.length === 0} onClick={() => void unload()}>
          Unload models
        </button>
      </div>
      {message && (
        <p className="hint" role="status" data-testid="cache-message">
          {message}
        </p>
      )}
    </details>
  );
}
