/**
 * Strategy parameters: the schema every strategy declares and the ONE checker both sides use. The UI
 * checks typed panels before a run (app/panel-spec.ts), the worker checks the request again at its
 * boundary (workers/validate.ts); the same bad value gives the same message on both sides.
 */
import type { ParamValue, PanelSpec } from './request';

/** Parameter schema entry for a strategy (drives UI controls and validation). */
export interface ParamSchema {
  name: string;
  label: string;
  /** `text`: free text (the UI renders a textarea), at most `maxLength` characters. */
  type: 'number' | 'integer' | 'boolean' | 'enum' | 'text';
  default: ParamValue;
  min?: number;
  /** The value must be strictly above `min` (an open lower end, like α in (0, 1]). */
  minExclusive?: boolean;
  max?: number;
  /** The value must be strictly below `max` (an open upper end, like ε in [0, 1)). */
  maxExclusive?: boolean;
  options?: string[];
  /** Longest accepted value of a `text` parameter, in characters. */
  maxLength?: number;
  help: string;
}

/** Strategy metadata for the UI. */
export interface StrategyInfo {
  id: string;
  label: string;
  description: string;
  needsDraft: boolean;
  /**
   * Needs a model exporting `last_hidden_state` (contrastive search). Models without it refuse the
   * panel with a reason; the UI may disable the strategy for such models, `description` says why.
   */
  needsHiddenState?: boolean;
  /**
   * Needs a model whose graph outputs `layer_logits` (DoLa): the built-in trained models and
   * llama2.c imports. Models without them refuse the panel with a reason.
   */
  needsLayerLogits?: boolean;
  /**
   * Needs a model with a superposed-input variant graph (superposed decoding: onnx/model_superposed.onnx,
   * the built-in trained models and llama2.c imports). Models without one refuse the panel with a reason.
   */
  needsSuperposedInput?: boolean;
  /** True where the method is our reading of an incompletely published paper. */
  interpretation: boolean;
  params: ParamSchema[];
}

/** A string as messages show it: JSON-quoted, cut after 80 characters. */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** A parameter value as messages show it: strings quoted, numbers and booleans as written. */
export function showParamValue(value: unknown): string {
  if (typeof value === 'string') return quoteValue(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}

function rangeText(s: ParamSchema): string {
  const low = s.minExclusive ? '(' : '[';
  const high = s.maxExclusive ? ')' : ']';
  if (s.min !== undefined && s.max !== undefined) return ` in ${low}${s.min}, ${s.max}${high}`;
  if (s.min !== undefined) return s.minExclusive ? ` > ${s.min}` : ` ≥ ${s.min}`;
  if (s.max !== undefined) return s.maxExclusive ? ` < ${s.max}` : ` ≤ ${s.max}`;
  return '';
}

/** What a parameter accepts, in words: `an integer in [1, 16]`, `one of logit, logprob`. */
export function expectedText(s: ParamSchema): string {
  if (s.type === 'boolean') return 'true or false';
  if (s.type === 'enum') return `one of ${(s.options ?? []).join(', ')}`;
  if (s.type === 'text') return `text of at most ${s.maxLength ?? '∞'} characters`;
  return `${s.type === 'integer' ? 'an integer' : 'a number'}${rangeText(s)}`;
}

function accepts(s: ParamSchema, v: unknown): v is ParamValue {
  switch (s.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'enum':
      return typeof v === 'string' && (s.options ?? []).includes(v);
    case 'text':
      return typeof v === 'string' && (s.maxLength === undefined || v.length <= s.maxLength);
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      if (s.type === 'integer' && !Number.isInteger(v)) return false;
      if (s.min !== undefined && (s.minExclusive ? v <= s.min : v < s.min)) return false;
      return s.max === undefined || (s.maxExclusive ? v < s.max : v <= s.max);
  }
}

/** Result of checking one value. */
export type ParamCheck = { ok: true; value: ParamValue } | { ok: false; message: string };

/**
 * THE parameter checker: the value when the schema accepts it (types are not coerced: the UI turns
 * text into the schema's type first), else a message naming the parameter, what it accepts and the
 * value (`k must be an integer in [1, 16], got -3`).
 */
export function checkParam(s: ParamSchema, value: unknown): ParamCheck {
  if (accepts(s, value)) return { ok: true, value };
  const got = s.type === 'text' && typeof value === 'string' ? `${value.length} characters` : showParamValue(value);
  return { ok: false, message: `${s.name} must be ${expectedText(s)}, got ${got}` };
}

/** A name folded for comparison: lower case, without `_` and `-` (`top_p`, `top-p`, `TopP` → `topp`). */
function foldName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** Edit distance (insertions, deletions, substitutions), for names of a few characters. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The parameter of `info` that an unknown `name` most likely meant (`top_p` → `topP`, `temprature`
 * → `temperature`), or null: the same spelling up to case, `_` and `-`, else one or two edits away.
 */
export function suggestParam(info: StrategyInfo, name: string): string | null {
  const folded = foldName(name);
  const same = info.params.find((p) => foldName(p.name) === folded);
  if (same) return same.name;
  let best: { name: string; d: number } | null = null;
  for (const p of info.params) {
    const d = editDistance(folded, foldName(p.name));
    if (d <= Math.min(2, Math.floor(folded.length / 3)) && (!best || d < best.d)) best = { name: p.name, d };
  }
  return best?.name ?? null;
}

/** The message for a parameter `name` that `info` does not have, with the likely one: `Sample has no parameter "top_p" (did you mean "topP"?)`. */
export function unknownParamMessage(info: StrategyInfo, name: string): string {
  const hint = suggestParam(info, name);
  return `${info.label} has no parameter ${quoteValue(name)}${hint ? ` (did you mean ${quoteValue(hint)}?)` : ''}`;
}

/** How messages about panel `index` (from 0) of strategy `id` begin: `Panel 2 (speculative): `. */
export function panelWhere(index: number, id: string): string {
  return `Panel ${index + 1} (${id}): `;
}

/** The message for a panel naming no registered strategy. */
export function unknownStrategyMessage(index: number, id: unknown, known: readonly StrategyInfo[]): string {
  return `Panel ${index + 1}: unknown strategy ${showParamValue(id)} (known: ${known.map((s) => s.id).join(', ')})`;
}

/**
 * Checks the parameters a panel gives against its strategy's schema: the accepted values (defaults
 * stay implicit) and one message per problem, each starting with `panelWhere`.
 */
export function checkPanelParams(info: StrategyInfo, given: Record<string, unknown>, index: number): { params: PanelSpec['params']; errors: string[] } {
  const params: PanelSpec['params'] = {};
  const errors: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const schema = info.params.find((p) => p.name === name);
    const checked = schema ? checkParam(schema, value) : null;
    if (!checked) errors.push(`${panelWhere(index, info.id)}${unknownParamMessage(info, name)}`);
    else if (!checked.ok) errors.push(`${panelWhere(index, info.id)}${checked.message}`);
    else params[name] = checked.value;
  }
  return { params, errors };
}

/** Every parameter of the schema: the given (checked) value or the default. */
export function withDefaults(info: StrategyInfo, params: PanelSpec['params']): PanelSpec['params'] {
  const out: PanelSpec['params'] = {};
  for (const s of info.params) out[s.name] = params[s.name] ?? s.default;
  return out;
}
