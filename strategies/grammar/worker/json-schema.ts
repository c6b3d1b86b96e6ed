/**
 * A small JSON-schema subset compiled to a regex (docs/algorithms.md#grammar): an object with fixed
 * properties, all present in the schema's order, printed as `{"a": …, "b": …}` (": " and ", "
 * separators, no other whitespace). Property types: string (optional maxLength ≤ 200 / minLength,
 * enum of strings, or pattern = a regex of this module's subset matched against the whole string
 * content, which must not produce quotes), integer (optional minimum ≥ 0 → no sign), boolean, and
 * enum of strings/integers/booleans without a type. Everything else is a clear error.
 */
import { RegexError } from './regex';

/** Escapes regex metacharacters of a literal. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** One JSON string character: anything but '"', '\' and control characters. */
const STRING_CHAR = '[^"\\\\\\x00-\\x1f]';

function fail(msg: string): never {
  throw new RegexError(`jsonSchema: ${msg}`);
}

function literal(v: unknown, where: string): string {
  if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))) return escapeRegex(JSON.stringify(v));
  return fail(`${where}: enum values must be strings, integers or booleans, got ${JSON.stringify(v)}`);
}

function propertyRegex(name: string, p: unknown): string {
  const where = `property ${JSON.stringify(name)}`;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) fail(`${where} must be a schema object`);
  const s = p as Record<string, unknown>;
  const known = new Set(['type', 'maxLength', 'minLength', 'enum', 'pattern', 'minimum', 'description', 'title']);
  for (const k of Object.keys(s))
    if (!known.has(k)) fail(`${where}: keyword ${JSON.stringify(k)} is not supported (supported: type, enum, maxLength, minLength, pattern, minimum)`);
  if (s.enum !== undefined) {
    if (!Array.isArray(s.enum) || s.enum.length === 0) fail(`${where}: enum must be a non-empty array`);
    return `(?:${s.enum.map((v) => literal(v, where)).join('|')})`;
  }
  switch (s.type) {
    case 'string': {
      if (s.pattern !== undefined) {
        if (typeof s.pattern !== 'string') fail(`${where}: pattern must be a string`);
        if (s.pattern.includes('"')) fail(`${where}: pattern must not contain a quote`);
        return `"(?:${s.pattern})"`;
      }
      const max = s.maxLength ?? 200;
      const min = s.minLength ?? 0;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 200)
        fail(`${where}: maxLength must be an integer in [0, 200], got ${JSON.stringify(s.maxLength)}`);
      if (typeof min !== 'number' || !Number.isInteger(min) || min < 0 || min > max)
        fail(`${where}: minLength must be an integer in [0, maxLength], got ${JSON.stringify(s.minLength)}`);
      return `"${STRING_CHAR}{${min},${max}}"`;
    }
    case 'integer': {
      if (s.minimum !== undefined && (typeof s.minimum !== 'number' || s.minimum !== 0)) fail(`${where}: only minimum 0 is supported (it drops the sign)`);
      return s.minimum === 0 ? '(?:0|[1-9][0-9]{0,8})' : '-?(?:0|[1-9][0-9]{0,8})';
    }
    case 'boolean':
      return '(?:true|false)';
    default:
      return fail(`${where}: type must be "string", "integer" or "boolean" (or give an enum), got ${JSON.stringify(s.type)}`);
  }
}

/** The regex of the JSON texts a schema (as JSON text) admits; throws RegexError with the reason. */
export function schemaToRegex(text: string): string {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) fail('the schema must be a JSON object');
  const s = schema as Record<string, unknown>;
  if (s.type !== 'object') fail(`only type "object" is supported at the top level, got ${JSON.stringify(s.type)}`);
  const props = s.properties;
  if (typeof props !== 'object' || props === null || Array.isArray(props) || Object.keys(props).length === 0) fail('properties must be a non-empty object');
  const names = Object.keys(props);
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => !names.includes(r as string))))
    fail('required must list property names');
  const fields = names.map((n) => `${escapeRegex(JSON.stringify(n))}: ${propertyRegex(n, (props as Record<string, unknown>)[n])}`);
  return `\\{${fields.join(', ')}\\}`;
}
