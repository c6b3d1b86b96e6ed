/**
 * Model choice: built-in test models, the curated Hub catalog (pairs fill model and draft), a Hub
 * id or model folder URL, a local folder, or a converted llama2.c checkpoint. Hub models not on this
 * device are unavailable offline.
 */
import type { HubModelEntry } from '../../protocol';
import { cachedFolder, effectiveDtype, sizeLabel } from '../hub-models';
import { useShaderF16 } from '../gpu-probe';
import { useCachedModels } from '../model-cache-state';
import { builtinSpec, BUILTIN_PREFIX, LOCAL_PREFIX } from '../model-spec';
import { useOnline } from '../online';
import { useAppStore } from '../store';
import { HubModelDetails } from './HubModelDetails';
import { Llama2cImport } from './Llama2cImport';
import { LocalFolderPicker } from './LocalFolderPicker';
import { ModelPairs } from './ModelPairs';
import { useFieldInvalid } from './field-state';

const CUSTOM = 'custom';

/** Built-in labels say whether the model is trained or a random-weight test model; unknown ones are marked untrained. */
function builtinLabel(label: string): string {
  return /random weights|\(trained\)/i.test(label) ? label : `${label} (test model, random weights)`;
}

/** Option text of a Hub model: label, the size of the dtype a run would load, availability. */
function hubOptionLabel(e: HubModelEntry, size: string, cached: boolean, online: boolean): string {
  const where = cached ? ' · on this device' : online ? '' : ' · unavailable offline';
  return `${e.label} · ${size}${where}`;
}

/** The select (built-ins, Hub catalog, local, custom), pairs, the custom field, local folders, the draft field. */
export function ModelPicker() {
  const model = useAppStore((s) => s.model);
  const customModel = useAppStore((s) => s.customModel);
  const catalog = useAppStore((s) => s.catalog);
  const draft = useAppStore((s) => s.draft);
  const dtype = useAppStore((s) => s.dtype);
  const backend = useAppStore((s) => s.backend);
  const panels = useAppStore((s) => s.panels);
  const actions = useAppStore.getState();
  const modelInvalid = useFieldInvalid('model');
  const draftInvalid = useFieldInvalid('draft');
  const online = useOnline();
  const cached = useCachedModels();
  const shaderF16 = useShaderF16() && backend !== 'wasm';

  const builtins = (catalog?.models ?? []).map((m) => ({ ...m, spec: builtinSpec(m.id) }));
  const hub = catalog?.hub ?? [];
  const isBuiltin = model.startsWith(BUILTIN_PREFIX);
  const isLocal = model.startsWith(LOCAL_PREFIX);
  const hubEntry = hub.find((e) => e.id === model);
  // A built-in named by the URL stays selectable even before (or without) the catalog.
  const unlisted = isBuiltin && !builtins.some((m) => m.spec === model);
  const selectedBuiltin = builtins.find((m) => m.spec === model);
  const needsDraft = panels.some((p) => catalog?.strategies.find((s) => s.id === p.strategy)?.needsDraft);
  const selectValue = isBuiltin || isLocal || hubEntry ? model : CUSTOM;

  const choose = (value: string) => {
    if (value === CUSTOM) return actions.customModelChanged(customModel);
    const entry = hub.find((e) => e.id === value);
    if (entry) return actions.runOptionsApplied({ model: entry.id, chatTemplate: entry.instruct });
    actions.builtinModelSelected(value);
    if (value.startsWith(BUILTIN_PREFIX)) actions.chatTemplateChanged(false);
  };

  return (
    <fieldset className="field-group">
      <legend>Model</legend>
      <div className="field">
        <label htmlFor="model-select">Model</label>
        <select
          id="model-select"
          data-testid="model-select"
          value={selectValue}
          aria-invalid={(modelInvalid && selectValue !== CUSTOM) || undefined}
          onChange={(e) => choose(e.target.value)}
        >
          <optgroup label="Built-in models">
            {builtins.map((m) => (
              <option key={m.spec} value={m.spec}>
                {builtinLabel(m.label)}
              </option>
            ))}
            {unlisted && <option value={model}>{builtinLabel(model.slice(BUILTIN_PREFIX.length))}</option>}
          </optgroup>
          {hub.length > 0 && (
            <optgroup label="Hub models (downloaded once, then cached)">
              {hub.map((e) => {
                const isCached = Boolean(cachedFolder(e, cached));
                const d = effectiveDtype(e, dtype, shaderF16);
                return (
                  <option key={e.id} value={e.id} disabled={!online && !isCached}>
                    {hubOptionLabel(e, d ? `${d} ${sizeLabel(e.sizes[d])}` : `no ${dtype} export`, isCached, online)}
                  </option>
                );
              })}
            </optgroup>
          )}
          {isLocal && <option value={model}>Local model {model.slice(LOCAL_PREFIX.length)}</option>}
          <option value={CUSTOM}>Custom: Hub id or folder URL</option>
        </select>
        {selectedBuiltin && <p className="hint">{selectedBuiltin.description}</p>}
        {hubEntry && <HubModelDetails entry={hubEntry} dtype={dtype} shaderF16={shaderF16} cached={cachedFolder(hubEntry, cached)} online={online} />}
        {!online && (
          <p className="hint offline-note" data-testid="offline-note">
            Offline: Hub models that are not on this device are unavailable.
          </p>
        )}
      </div>
      <ModelPairs builtins={catalog?.models ?? []} hub={hub} cached={cached} online={online} />
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
          aria-invalid={(modelInvalid && selectValue === CUSTOM) || undefined}
          aria-describedby="model-custom-hint"
          onChange={(e) => actions.customModelChanged(e.target.value)}
        />
        <p className="hint" id="model-custom-hint">
          A Hub id (org/name), a same-origin path (/models/x) or an https:// folder URL (the server must allow CORS).
        </p>
      </div>
      <LocalFolderPicker />
      <Llama2cImport />
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
            onChange={(e) => actions.draftChanged(e.target.value === '' ? null : e.target.value)}
          />
        </div>
      )}
    </fieldset>
  );
}
