/** Buttons that fill model and draft with a pair sharing a tokenizer: the built-in pairs and the catalog's Hub pairs. */
import type { CachedModel, HubModelEntry, ModelListEntry } from '../../protocol';
import { cachedFolder, hubPairs } from '../hub-models';
import { builtinSpec } from '../model-spec';
import { useAppStore } from '../store';

/** Props: built-in and Hub catalog entries, the cached folders and the network state (Hub pairs need both files offline). */
export interface ModelPairsProps {
  builtins: ModelListEntry[];
  hub: HubModelEntry[];
  cached: CachedModel[];
  online: boolean;
}

const shortLabel = (e: HubModelEntry) => e.label.replace(/ Instruct$/, '');
/** "stories260K — TinyStories, …" → "stories260K"; "Tiny Llama (test, …)" → "Tiny Llama". */
const builtinShortLabel = (label: string) => label.split(/ — | \(/)[0] ?? label;

/** One button per pair; the target (expert) becomes the model, the small one the draft (amateur). */
export function ModelPairs({ builtins, hub, cached, online }: ModelPairsProps) {
  const apply = useAppStore((s) => s.runOptionsApplied);
  // The built-in pairs: each draft model names its target (the trained stories pair first).
  const builtinPairs = builtins.flatMap((d) => {
    const target = d.pairedWith && /draft/.test(d.id) ? builtins.find((m) => m.id === d.pairedWith) : undefined;
    return target ? [{ target, draft: d }] : [];
  });
  return (
    <div className="field">
      <span className="field-label">Pairs (target + draft / expert + amateur)</span>
      <div className="buttons pair-buttons">
        {builtinPairs.map(({ target, draft }) => (
          <button
            key={target.id}
            type="button"
            data-testid={`pair-${target.id.replace(':', '-')}`}
            onClick={() => apply({ model: builtinSpec(target.id), draft: builtinSpec(draft.id), chatTemplate: false })}
          >
            {builtinShortLabel(target.label)} + draft
          </button>
        ))}
        {hubPairs(hub).map((p) => (
          <button
            key={p.family}
            type="button"
            data-testid={`pair-${p.family}`}
            disabled={!online && !(cachedFolder(p.target, cached) && cachedFolder(p.draft, cached))}
            onClick={() => apply({ model: p.target.id, draft: p.draft.id, chatTemplate: p.target.instruct })}
          >
            {shortLabel(p.target)} + {shortLabel(p.draft)}
          </button>
        ))}
      </div>
    </div>
  );
}
