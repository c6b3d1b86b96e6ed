/**
 * One strategy parameter as a form control generated from its schema: a checkbox (boolean), a
 * select (enum), a textarea (text) or a text field (number / integer) whose typed text is kept, so
 * an invalid value is shown with its message rather than swallowed.
 */
import { useState } from 'react';
import type { ParamSchema, ParamValue } from '../../protocol';
import { checkParamValue } from '../panel-spec';
import { parseNumberText } from '../param-text';

interface Props {
  schema: ParamSchema;
  /** The panel's value; undefined = the schema default applies. */
  value: ParamValue | undefined;
  idPrefix: string;
  disabled: boolean;
  onChange: (value: ParamValue | undefined) => void;
}

function rangeHint(s: ParamSchema): string {
  const parts = [`default ${String(s.default)}`];
  if (s.type === 'integer' || s.type === 'number') {
    if (s.min !== undefined && s.max !== undefined) parts.push(`${s.min}–${s.max}`);
    else if (s.min !== undefined) parts.push(`≥ ${s.min}`);
    else if (s.max !== undefined) parts.push(`≤ ${s.max}`);
    if (s.type === 'integer') parts.push('integer');
  }
  if (s.type === 'text' && s.maxLength !== undefined) parts.push(`up to ${s.maxLength} characters`);
  return parts.join(' · ');
}

function NumberInput({
  id,
  schema,
  value,
  disabled,
  onChange,
  describedBy,
  invalid,
}: {
  id: string;
  schema: ParamSchema;
  value: ParamValue | undefined;
  disabled: boolean;
  onChange: (v: ParamValue | undefined) => void;
  describedBy: string;
  invalid: boolean;
}) {
  // The typed text stays while it still stands for the stored value; an outside change replaces it.
  const [draft, setDraft] = useState<{ text: string; value: ParamValue | undefined } | null>(null);
  const text = draft && draft.value === value ? draft.text : value === undefined ? '' : String(value);
  return (
    <input
      id={id}
      type="text"
      inputMode={schema.type === 'integer' ? 'numeric' : 'decimal'}
      value={text}
      placeholder={String(schema.default)}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      spellCheck={false}
      autoComplete="off"
      onChange={(e) => {
        const next = parseNumberText(e.target.value);
        setDraft({ text: e.target.value, value: next });
        onChange(next);
      }}
    />
  );
}

/** Label, control, range hint and inline message of one parameter. */
export function ParamControl({ schema, value, idPrefix, disabled, onChange }: Props) {
  const id = `${idPrefix}-${schema.name}`;
  const check = value === undefined ? null : checkParamValue(schema, value);
  const error = check && !check.ok ? check.message : null;
  const describedBy = error ? `${id}-hint ${id}-error` : `${id}-hint`;
  const effective = value ?? schema.default;
  if (schema.type === 'boolean') {
    return (
      <div className="param param-boolean" data-param={schema.name}>
        <label className="checkbox" title={schema.help}>
          <input
            id={id}
            type="checkbox"
            checked={effective === true || effective === 'true'}
            disabled={disabled}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.checked)}
          />
          {schema.label}
        </label>
        <p className="hint" id={`${id}-hint`}>
          {schema.help}
        </p>
        {error && (
          <p className="field-error" id={`${id}-error`} data-testid="param-error">
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="param" data-param={schema.name}>
      <label htmlFor={id} title={schema.help}>
        {schema.label}
      </label>
      {schema.type === 'enum' ? (
        <select
          id={id}
          value={String(effective)}
          disabled={disabled}
          aria-invalid={Boolean(error) || undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        >
          {!schema.options?.includes(String(effective)) && <option value={String(effective)}>{String(effective)} (invalid)</option>}
          {(schema.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : schema.type === 'text' ? (
        <textarea
          id={id}
          rows={3}
          value={String(effective)}
          disabled={disabled}
          aria-invalid={Boolean(error) || undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        />
      ) : (
        <NumberInput id={id} schema={schema} value={value} disabled={disabled} onChange={onChange} describedBy={describedBy} invalid={Boolean(error)} />
      )}
      <p className="hint" id={`${id}-hint`}>
        <span className="param-range">{rangeHint(schema)}.</span> {schema.help}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`} data-testid="param-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
