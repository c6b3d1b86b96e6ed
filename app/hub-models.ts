/**
 * Pure helpers over the curated Hub catalog for the picker: which dtype "auto" picks, how big the
 * download is, which pairs exist, and whether a model's files are on this device.
 */
import { preferredDtypes, type CachedModel, type Dtype, type HubModelEntry } from '../protocol';

/** dtypes "auto" tries, best first (the worker's own order, protocol/constants.ts). */
export { preferredDtypes };

/** The dtype a run will load for `entry`: the override when offered, else the first preferred one offered. */
export function effectiveDtype(entry: HubModelEntry, override: Dtype | null, shaderF16: boolean): Dtype | null {
  const offered = (Object.keys(entry.sizes) as Dtype[]).filter((d) => entry.sizes[d] !== undefined);
  if (override) return offered.includes(override) ? override : null;
  return preferredDtypes(shaderF16).find((d) => offered.includes(d)) ?? null;
}

/** Decimal size as the Hub lists it: `about 134 MB`, `about 1.22 GB`; `size unknown` when null. */
export function sizeLabel(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes <= 0) return 'size unknown';
  if (bytes >= 1e9) return `about ${(bytes / 1e9).toPrecision(3)} GB`;
  if (bytes >= 1e6) return `about ${Math.round(bytes / 1e6)} MB`;
  return `about ${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** A draft/target pair of the catalog. */
export interface HubPair {
  family: string;
  draft: HubModelEntry;
  target: HubModelEntry;
}

/** Every pair whose two members are both in the catalog, in catalog order. */
export function hubPairs(hub: readonly HubModelEntry[]): HubPair[] {
  const pairs: HubPair[] = [];
  for (const draft of hub) {
    if (draft.role !== 'draft') continue;
    const target = hub.find((e) => e.id === draft.pairedWith && e.role === 'target');
    if (target) pairs.push({ family: draft.family, draft, target });
  }
  return pairs;
}

/** The folder URL the worker reads a Hub model from (`.../resolve/<revision>/`). */
export function hubFolderUrl(entry: Pick<HubModelEntry, 'id' | 'revision'>): string {
  return `https://huggingface.co/${entry.id}/resolve/${entry.revision}/`;
}

/** The cached folder of `entry`, if any of its files are in the browser cache. */
export function cachedFolder(entry: Pick<HubModelEntry, 'id' | 'revision'>, cached: readonly CachedModel[]): CachedModel | undefined {
  const base = hubFolderUrl(entry);
  return cached.find((c) => c.base === base);
}

/** Short revision text: the 7-character commit, or `main (not pinned)`. */
export function revisionLabel(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? `pinned to ${revision.slice(0, 7)}` : `${revision} (not pinned)`;
}
