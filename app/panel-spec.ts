/**
 * Panel lists in text form (`greedy,speculative(k=4;adaptive=true)`, the URL `panels` field) and
 * their checking against the strategy registry from `catalog()`.
 */
import { checkPanelParams, checkParam, unknownStrategyMessage, type PanelSpec, type ParamCheck, type ParamSchema, type ParamValue, type StrategyInfo } from '../protocol';

/** Hard cap on panels written in a URL, before the catalog's `maxPanels` is known. */
export const PANELS_TEXT_MAX = 16;

const STRATEGY_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WORD = /^[A-Za-z0-9._-]{1,64}$/;

/** Result of parsing a panel list. */
export type PanelsParse = { ok: true; panels: PanelSpec[] } | { ok: false; reason: string };

function parseValue(text: string): ParamValue | null {
  // Quoted: free text, percent-encoded inside the quotes (so , ; ( ) = cannot break the list).
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      return decodeURIComponent(text.slice(1, -1));
    } catch {
      return null;
    }
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (NUMBER.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  }
  return WORD.test(text) ? text : null;
}

function parseParams(body: string, strategy: string): Record<string, ParamValue> | string {
  const params: Record<string, ParamValue> = {};
  if (body.trim() === '') return params;
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    const raw = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (eq < 0 || !PARAM_NAME.test(name)) return `${strategy}: "${part.trim()}" is not name=value`;
    if (Object.hasOwn(params, name)) return `${strategy}: parameter ${name} is given twice`;
    const value = parseValue(raw);
    if (value === null) return `${strategy}: ${name} has an invalid value`;
    params[name] = value;
  }
  return params;
}

/** Parses `strategy(name=value;...)` entries separated by commas. */
export function parsePanels(text: string): PanelsParse {
  const entries = text.split(',').map((e) => e.trim());
  if (entries.length === 0 || entries.every((e) => e === '')) return { ok: false, reason: 'lists no panel' };
  if (entries.length > PANELS_TEXT_MAX) return { ok: false, reason: `lists more than ${PANELS_TEXT_MAX} panels` };
  const panels: PanelSpec[] = [];
  for (const [i, entry] of entries.entries()) {
    const open = entry.indexOf('(');
    const strategy = open < 0 ? entry : entry.slice(0, open);
    if (!STRATEGY_ID.test(strategy)) return { ok: false, reason: `has an invalid strategy name in entry ${panels.length + 1}` };
    if (open >= 0 && !entry.endsWith(')')) {
      // `s(a=1,b=2)`: the comma split the parameters into the next "panel".
      const commaInside = entries.slice(i + 1).some((e) => !e.includes('(') && e.endsWith(')'));
      return { ok: false, reason: commaInside ? `${strategy}: separate its parameters with ";" (a "," starts the next panel), e.g. ${strategy}(a=1;b=2)` : `${strategy}: missing ")"` };
    }
    const params = open < 0 ? {} : parseParams(entry.slice(open + 1, -1), strategy);
    if (typeof params === 'string') return { ok: false, reason: params };
    panels.push({ strategy, params });
  }
  return { ok: true, panels };
}

function formatValue(value: ParamValue): string {
  return typeof value === 'number' ? String(value) : typeof value === 'boolean' ? (value ? 'true' : 'false') : value;
}

// A string is written bare only when it reads back as the same string (not a number or boolean).
function serializeValue(value: ParamValue): string {
  if (typeof value !== 'string') return formatValue(value);
  return WORD.test(value) && parseValue(value) === value ? value : `"${encodeURIComponent(value)}"`;
}

/** Inverse of `parsePanels`: finite numbers, booleans, and any string (quoted when needed). */
export function serializePanels(panels: readonly PanelSpec[]): string {
  return panels
    .map((p) => {
      const params = Object.entries(p.params);
      if (params.length === 0) return p.strategy;
      return `${p.strategy}(${params.map(([k, v]) => `${k}=${serializeValue(v)}`).join(';')})`;
    })
    .join(',');
}

/** Human summary of a panel's parameters: `k=4, adaptive=true` (empty for none; long text cut). */
export function describeParams(params: Record<string, ParamValue>): string {
  const short = (v: ParamValue) => {
    const text = formatValue(v);
    return text.length > 24 ? `${text.slice(0, 24)}…` : text;
  };
  return Object.entries(params)
    .map(([k, v]) => `${k}=${short(v)}`)
    .join(', ');
}

// Values typed as text (URL, form fields) in the schema's type; anything else is left for the checker to refuse.
function coerceValue(s: ParamSchema, value: ParamValue): ParamValue {
  switch (s.type) {
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'enum':
    case 'text':
      return formatValue(value);
    case 'integer':
    case 'number':
      return typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;
  }
}

/** Checks one parameter value (text read as the schema's type first) with the shared checker (protocol/params.ts). */
export function checkParamValue(s: ParamSchema, value: ParamValue): ParamCheck {
  return checkParam(s, coerceValue(s, value));
}

/** Checks panels against the registry; returns typed params (defaults stay implicit) or messages. */
export function checkPanels(panels: readonly PanelSpec[], strategies: readonly StrategyInfo[]): { panels: PanelSpec[]; errors: string[] } {
  const errors: string[] = [];
  const out: PanelSpec[] = [];
  for (const [index, panel] of panels.entries()) {
    const info = strategies.find((s) => s.id === panel.strategy);
    if (!info) {
      errors.push(unknownStrategyMessage(index, panel.strategy, strategies));
      continue;
    }
    const coerced = Object.fromEntries(Object.entries(panel.params).map(([name, value]) => {
      const schema = info.params.find((p) => p.name === name);
      return [name, schema ? coerceValue(schema, value) : value];
    }));
    const checked = checkPanelParams(info, coerced, index);
    errors.push(...checked.errors);
    out.push({ strategy: panel.strategy, params: checked.params });
  }
  return { panels: out, errors };
}
