/** A panel's strategy select and its parameter controls (generated from the strategy's schema). */
import { memo, useState } from 'react';
import { suggestParam, unknownParamMessage, type PanelSpec, type StrategyInfo } from '../../protocol';
import { checkParamValue } from '../panel-spec';
import { useAppStore } from '../store';
import { ParamControl } from './ParamControl';

interface Props {
  index: number;
  spec: PanelSpec;
  info: StrategyInfo | null;
  strategies: readonly StrategyInfo[];
  disabled: boolean;
}

function issues(spec: PanelSpec, info: StrategyInfo | null): number {
  if (!info) return 1;
  return Object.entries(spec.params).filter(([name, value]) => {
    const schema = info.params.find((p) => p.name === name);
    return !schema || !checkParamValue(schema, value).ok;
  }).length;
}

/** "Use topP" for an unknown `top_p` whose likely meaning is not set yet: moves the value over. */
function RenameButton({ index, spec, info, name, disabled }: { index: number; spec: PanelSpec; info: StrategyInfo; name: string; disabled: boolean }) {
  const hint = suggestParam(info, name);
  if (!hint || spec.params[hint] !== undefined) return null;
  const rename = () => {
    const actions = useAppStore.getState();
    actions.panelParamChanged(index, hint, spec.params[name]);
    actions.panelParamChanged(index, name, undefined);
  };
  return (
    <button type="button" className="quiet" disabled={disabled} data-testid="param-rename" onClick={rename}>
      Use {hint}
    </button>
  );
}

/** Strategy choice, then the parameters in a disclosure that opens by itself while a value is invalid (memoised: streaming never touches it). */
export const PanelConfig = memo(function PanelConfig({ index, spec, info, strategies, disabled }: Props) {
  const [open, setOpen] = useState(false);
  const actions = useAppStore.getState();
  const bad = issues(spec, info);
  const changed = Object.keys(spec.params).length;
  const prefix = `panel-${index}`;
  const unknown = info ? Object.keys(spec.params).filter((n) => !info.params.some((p) => p.name === n)) : [];
  // Before the worker's catalog arrives no strategy is known yet: that is loading, not an error.
  const loading = strategies.length === 0;
  return (
    <div className="panel-config">
      <div className="field strategy-field">
        <label htmlFor={`${prefix}-strategy`}>Strategy</label>
        <select
          id={`${prefix}-strategy`}
          data-testid="strategy-select"
          value={spec.strategy}
          disabled={disabled}
          aria-invalid={(!info && !loading) || undefined}
          aria-busy={loading || undefined}
          onChange={(e) => {
            const next = strategies.find((s) => s.id === e.target.value);
            if (next) actions.panelStrategyChanged(index, next);
          }}
        >
          {!info && (
            <option value={spec.strategy}>
              {spec.strategy} {loading ? '(loading strategies…)' : '(unknown)'}
            </option>
          )}
          {strategies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
        {!info && strategies.length > 0 && (
          <p className="field-error" data-testid="param-error">
            Unknown strategy “{spec.strategy}”: choose one of the list.
          </p>
        )}
      </div>
      {info && info.params.length > 0 && (
        <details className="params" open={open || bad > 0} onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary data-testid="params-toggle">
            Parameters{changed > 0 ? ` · ${changed} set` : ' · defaults'}
            {bad > 0 && <span className="summary-error"> · {bad} invalid</span>}
          </summary>
          <div className="param-grid" data-testid="param-grid">
            {info.params.map((schema) => (
              <ParamControl
                key={schema.name}
                schema={schema}
                value={spec.params[schema.name]}
                idPrefix={prefix}
                disabled={disabled}
                onChange={(v) => actions.panelParamChanged(index, schema.name, v)}
              />
            ))}
            {unknown.map((name) => (
              <div className="param" key={name}>
                <p className="field-error" data-testid="param-error">
                  {unknownParamMessage(info, name)}.
                </p>
                <RenameButton index={index} spec={spec} info={info} name={name} disabled={disabled} />
                <button type="button" className="quiet" disabled={disabled} onClick={() => actions.panelParamChanged(index, name, undefined)}>
                  Remove {name}
                </button>
              </div>
            ))}
          </div>
        </details>
      )}
    </div>
  );
});
