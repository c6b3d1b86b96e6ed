import type { ReferenceStore } from './store';

/** What building the reference store produced: the store, the references' ids, and what it cost. */
export interface BuiltStore {
  store: ReferenceStore;
  refs: number[][];
  built: { references: number; ms: number; bytes: number; capped: boolean };
}

/** Stores kept per model: a second corpus or μ may be compared without rebuilding the first. */
const PER_MODEL = 2;

/**
 * Reference stores of earlier runs, per model (the loaded model object: a reloaded model is a new
 * one, and a dropped model takes its stores with it) and per what the store depends on (the
 * references, μ, the vocabulary). Building one teacher-forces every reference: 7 s and 3 MB of
 * readback for the bundled pirate tales on SwiftShader, so a second run over the same references
 * reuses it.
 */
export class StoreCache {
  private readonly byModel = new WeakMap<object, Map<string, BuiltStore>>();

  get(model: object, key: string): BuiltStore | undefined {
    const stores = this.byModel.get(model);
    const hit = stores?.get(key);
    if (stores && hit) {
      // Most recently used last.
      stores.delete(key);
      stores.set(key, hit);
    }
    return hit;
  }

  set(model: object, key: string, value: BuiltStore): void {
    let stores = this.byModel.get(model);
    if (!stores) {
      stores = new Map();
      this.byModel.set(model, stores);
    }
    stores.delete(key);
    stores.set(key, value);
    while (stores.size > PER_MODEL) stores.delete(stores.keys().next().value!);
  }
}

/** The worker's cache (one per worker: stores live as long as their model). */
export const referenceStores = new StoreCache();
