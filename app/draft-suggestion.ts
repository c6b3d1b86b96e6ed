/** Which second model (draft / amateur) to offer for the chosen model, from the catalog's pairs. */
import { builtinSpec } from './model-spec';
import type { Catalog } from './validation';

/** The paired smaller model of `model` (built-in draft or the Hub pair's draft), or null. */
export function suggestedDraft(model: string, catalog: Catalog | null): string | null {
  if (!catalog) return null;
  const hub = catalog.hub?.find((e) => e.id === model);
  if (hub) return hub.role === 'target' ? hub.pairedWith : null;
  const entry = catalog.models.find((m) => builtinSpec(m.id) === model);
  const paired = entry?.pairedWith ? builtinSpec(entry.pairedWith) : null;
  return paired && /draft/i.test(paired) ? paired : null;
}
