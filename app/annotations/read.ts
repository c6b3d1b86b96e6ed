/**
 * Defensive readers over the fields of `TokenRecord.annotations` (typed by `kind` in
 * protocol/annotations.ts, but an imported file may be malformed). Each returns undefined when the value has the wrong type,
 * so a bad annotation degrades to "no detail" instead of breaking the page.
 */

/** A plain JSON object (not an array, not null), or undefined. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A finite number, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A finite number, null when the value is null, undefined for anything else. */
export function numOrNull(v: unknown): number | null | undefined {
  return v === null ? null : num(v);
}

/** A non-negative integer, or undefined. */
export function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** A string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A boolean, or undefined. */
export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** One of `options`, or undefined. */
export function oneOf<T extends string>(v: unknown, options: readonly T[]): T | undefined {
  return typeof v === 'string' && (options as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The items of an array that `read` accepts (at most `max`), or undefined when `v` is no array. */
export function list<T>(v: unknown, read: (item: unknown) => T | undefined, max = 1024): T[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: T[] = [];
  for (const item of v.slice(0, max)) {
    const r = read(item);
    if (r !== undefined) out.push(r);
  }
  return out;
}
