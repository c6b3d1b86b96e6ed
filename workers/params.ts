import { checkParam, type ParamSchema, type ParamValue } from '../protocol';
import { LogitscopeError } from './errors';

/**
 * A strategy parameter read through the one checker both sides use (protocol/params.ts): the
 * panel's value (the default when missing) if its schema accepts it, else a bad-request error
 * with the checker's message (`k must be an integer in [1, 16], got 40`). The request boundary
 * (workers/validate.ts) already checked every panel; strategies read their settings with this, so
 * a strategy started directly (unit tests) meets the same rules and messages.
 */
export function param(schema: readonly ParamSchema[], params: Record<string, ParamValue>, name: string): ParamValue {
  const s = schema.find((p) => p.name === name);
  if (!s) throw new LogitscopeError('internal', `no parameter ${JSON.stringify(name)} in the schema`);
  const checked = checkParam(s, params[name] ?? s.default);
  if (!checked.ok) throw new LogitscopeError('bad-request', checked.message);
  return checked.value;
}

/** A number (or integer) parameter, checked as `param` does. */
export function numberParam(schema: readonly ParamSchema[], params: Record<string, ParamValue>, name: string): number {
  const v = param(schema, params, name);
  if (typeof v !== 'number') throw new LogitscopeError('internal', `parameter ${name} is not a number in its schema`);
  return v;
}

/** A text or enum parameter, checked as `param` does. */
export function stringParam(schema: readonly ParamSchema[], params: Record<string, ParamValue>, name: string): string {
  const v = param(schema, params, name);
  if (typeof v !== 'string') throw new LogitscopeError('internal', `parameter ${name} is not text in its schema`);
  return v;
}
