/** Max new tokens, seed, backend, weights dtype and chat template. */
import type { BackendChoice, Dtype } from '../../protocol';
import { useAppStore } from '../store';
import { DTYPES } from '../../protocol';
import { useFieldInvalid } from './field-state';

const AUTO = 'auto';

/** Numeric fields stay free text so an invalid value is shown and explained, not swallowed. */
export function RunSettings() {
  const maxNewTokens = useAppStore((s) => s.maxNewTokens);
  const seed = useAppStore((s) => s.seed);
  const backend = useAppStore((s) => s.backend);
  const dtype = useAppStore((s) => s.dtype);
  const chatTemplate = useAppStore((s) => s.chatTemplate);
  const logitLens = useAppStore((s) => s.logitLens);
  const limits = useAppStore((s) => s.catalog?.limits ?? null);
  const actions = useAppStore.getState();
  const maxInvalid = useFieldInvalid('maxNewTokens');
  const seedInvalid = useFieldInvalid('seed');

  return (
    <fieldset className="field-group settings">
      <legend>Settings</legend>
      <div className="field">
        <label htmlFor="max-tokens">Max new tokens</label>
        <input
          id="max-tokens"
          data-testid="max-tokens"
          type="text"
          inputMode="numeric"
          value={maxNewTokens}
          aria-invalid={maxInvalid || undefined}
          aria-describedby="max-tokens-hint"
          onChange={(e) => actions.maxNewTokensChanged(e.target.value)}
        />
        <p className="hint" id="max-tokens-hint">
          {limits ? `${limits.maxNewTokensMin}–${limits.maxNewTokensMax}` : 'per panel'}
        </p>
      </div>
      <div className="field">
        <label htmlFor="seed">Seed</label>
        <input
          id="seed"
          data-testid="seed"
          type="text"
          inputMode="numeric"
          value={seed}
          aria-invalid={seedInvalid || undefined}
          onChange={(e) => actions.seedChanged(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="backend-select">Backend</label>
        <select id="backend-select" data-testid="backend-select" value={backend} onChange={(e) => actions.backendChanged(e.target.value as BackendChoice)}>
          <option value="auto">auto (measured)</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="dtype-select">Weights</label>
        <select
          id="dtype-select"
          data-testid="dtype-select"
          value={dtype ?? AUTO}
          onChange={(e) => actions.dtypeChanged(e.target.value === AUTO ? null : (e.target.value as Dtype))}
        >
          <option value={AUTO}>auto</option>
          {DTYPES.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input type="checkbox" data-testid="chat-template" checked={chatTemplate} onChange={(e) => actions.chatTemplateChanged(e.target.checked)} />
        Apply chat template
      </label>
      <label className="checkbox" title="Each layer's top tokens per token (popover, logit lab, the panel's strip), for models that export per-layer logits; off saves one small readback per forward">
        <input type="checkbox" data-testid="logit-lens" checked={logitLens} onChange={(e) => actions.logitLensChanged(e.target.checked)} />
        Logit lens
      </label>
    </fieldset>
  );
}
