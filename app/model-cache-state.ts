/**
 * The list of cached model folders ("models on this device"), shared by the picker (to mark models
 * available offline) and the cache view. A tiny external store: refreshed after runs and deletes.
 */
import type { CachedModel } from '../protocol';
import { externalValue } from './external-value';

const list = externalValue<CachedModel[]>([]);

/** Replace the list (after asking the worker). */
export function cachedModelsChanged(models: CachedModel[]): void {
  list.set(models);
}

/** The last known list of cached model folders. */
export function useCachedModels(): CachedModel[] {
  return list.use();
}

/** Ask the worker for the list and publish it; failures leave the list as it was. */
export async function refreshCachedModels(client: { cachedModels(): Promise<CachedModel[]> }): Promise<void> {
  try {
    cachedModelsChanged(await client.cachedModels());
  } catch (err) {
    console.warn('could not list cached models', err);
  }
}
