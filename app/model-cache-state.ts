/**
 * The list of cached model folders ("models on this device"), shared by the picker (to mark models
 * available offline) and the cache view. A tiny external store: refreshed after runs and deletes.
 */
import { useSyncExternalStore } from 'react';
import type { CachedModel } from '../protocol';

let current: CachedModel[] = [];
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/** Replace the list (after asking the worker). */
export function cachedModelsChanged(list: CachedModel[]): void {
  current = list;
  for (const l of listeners) l();
}

/** The last known list of cached model folders. */
export function useCachedModels(): CachedModel[] {
  return useSyncExternalStore(subscribe, () => current);
}

/** Ask the worker for the list and publish it; failures leave the list as it was. */
export async function refreshCachedModels(client: { cachedModels(): Promise<CachedModel[]> }): Promise<void> {
  try {
    cachedModelsChanged(await client.cachedModels());
  } catch (err) {
    console.warn('could not list cached models', err);
  }
}
