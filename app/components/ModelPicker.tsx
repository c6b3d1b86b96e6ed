/** Model choice: built-in test models from the catalog, or a Hub id / model folder URL. */
import { builtinSpec, BUILTIN_PREFIX } from '../model-spec';
import { useAppStore } from '../store';
import { useFieldInvalid } from './field-state';

const CUSTOM = 'custom';

/** Built-in models have random weights; the picker always says so (once). */
function builtinLabel(label: string): string {
  return /random weights/i.test(label) ? label : `${label} (test model, random weights)`;
}

/** Built-in select (plus "custom"), the free-text model field, and the draft field when needed. */
export function ModelPicker() {
  const model = useAppStore((s) => s.model);
  const customModel = useAppStore((s) => s.customModel);
  const catalog = useAppStore((s) => s.catalog);
  const draft = useAppStore((s) => s.draft);
  const panels = useAppStore((s) => s.panels);
  const builtinModelSelected = useAppStore((s) => s.builtinModelSelected);
  const customModelChanged = useAppStore((s) => s.customModelChanged);
  const draftChanged = useAppStore((s) => s.draftChanged);
  const modelInvalid = useFieldInvalid('model');
  const draftInvalid = useFieldInvalid('draft');

  const builtins = (catalog?.models ?? []).map((m) => ({ ...m, spec: builtinSpec(m.id) }));
  const isBuiltin = model.startsWith(BUILTIN_PREFIX);
  // A built-in named by the URL stays selectable even before (or without) the catalog.
  const unlisted = isBuiltin && !builtins.some((m) => m.spec === model);
  const selected = builtins.find((m) => m.spec === model);
  const needsDraft = panels.some((p) => catalog?.strategies.find((s) => s.id === p.strategy)?.needsDraft);

  return (
    <fieldset className="field-group">
      <legend>Model</legend>
      <div className="field">
        <label htmlFor="model-select">Built-in model</label>
        <select
          id="model-select"
          data-testid="model-select"
          value={isBuiltin ? model : CUSTOM}
          aria-invalid={(modelInvalid && isBuiltin) || undefined}
          onChange={(e) => (e.target.value === CUSTOM ? customModelChanged(customModel) : builtinModelSelected(e.target.value))}
        >
          {builtins.map((m) => (
            <option key={m.spec} value={m.spec}>
              {builtinLabel(m.label)}
            </option>
          ))}
          {unlisted && <option value={model}>{builtinLabel(model.slice(BUILTIN_PREFIX.length))}</option>}
          <option value={CUSTOM}>Custom: Hub id or folder URL</option>
        </select>
        {selected && <p className="hint">{selected.description}</p>}
      </div>
      <div className="field">
        <label htmlFor="model-custom">Hub id or model folder URL</label>
        <input
          id="model-custom"
          data-testid="model-custom"
          type="text"
          value={customModel}
          placeholder="HuggingFaceTB/SmolLM2-135M-Instruct"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={(modelInvalid && !isBuiltin) || undefined}
          aria-describedby="model-custom-hint"
          onChange={(e) => customModelChanged(e.target.value)}
        />
        <p className="hint" id="model-custom-hint">
          A Hub id (org/name), a same-origin path (/models/x) or an https:// folder URL.
        </p>
      </div>
      {(needsDraft || draft !== null) && (
        <div className="field">
          <label htmlFor="draft-model">Draft model</label>
          <input
            id="draft-model"
            data-testid="draft-model"
            type="text"
            value={draft ?? ''}
            placeholder="builtin:tiny-llama-draft"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={draftInvalid || undefined}
            onChange={(e) => draftChanged(e.target.value === '' ? null : e.target.value)}
          />
        </div>
      )}
    </fieldset>
  );
}
