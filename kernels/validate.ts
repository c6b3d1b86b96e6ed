import { KernelArgumentError } from './errors';
import { MAX_K, MAX_ROW_LENGTH, MAX_ROWS, NO_TOKEN } from './limits';
import type { LogitRowsLayout } from './types';

/** Throws unless `value` is an integer in [min, max]. */
export function requireInteger(param: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new KernelArgumentError(param, value, `an integer in [${min}, ${max}]`);
  }
  return value;
}

/** Checks every field of a row layout (integers, ranges, stride >= rowLength, validVocab <= rowLength). */
export function validateLayout(layout: LogitRowsLayout, param = 'src'): void {
  requireInteger(`${param}.rows`, layout.rows, 1, MAX_ROWS);
  const rowLength = requireInteger(`${param}.rowLength`, layout.rowLength, 1, MAX_ROW_LENGTH);
  requireInteger(`${param}.validVocab`, layout.validVocab, 1, rowLength);
  requireInteger(`${param}.rowStrideElems`, layout.rowStrideElems, rowLength, 2 ** 32 - 1);
  requireInteger(`${param}.offsetElems`, layout.offsetElems, 0, 2 ** 32 - 1);
}

/** Number of elements the layout spans from element 0 (one past the last entry of the last row). */
export function layoutEndElem(layout: LogitRowsLayout): number {
  return layout.offsetElems + (layout.rows - 1) * layout.rowStrideElems + layout.rowLength;
}

/** Throws unless the layout fits inside `availableElems` elements (`param` names that length). */
export function requireExtent(layout: LogitRowsLayout, availableElems: number, param = 'data.length'): void {
  const end = layoutEndElem(layout);
  if (end > availableElems) {
    throw new KernelArgumentError(param, availableElems, `at least ${end} elements for these rows`);
  }
}

/** Throws unless k is an integer in [1, MAX_K]. */
export function validateK(k: unknown): number {
  return requireInteger('k', k, 1, MAX_K);
}

/**
 * Checks per-row token ids (null = none; ids in [0, rowLength)) and returns them as u32 with NO_TOKEN
 * for none. Omitted ids mean none for every row.
 */
export function normalizeTokenIds(tokenIds: readonly (number | null)[] | undefined, layout: LogitRowsLayout): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(layout.rows).fill(NO_TOKEN);
  if (tokenIds === undefined) return out;
  if (!Array.isArray(tokenIds) || tokenIds.length !== layout.rows) {
    throw new KernelArgumentError('tokenIds', tokenIds, `an array with one entry per row (${layout.rows})`);
  }
  tokenIds.forEach((id, r) => {
    if (id !== null) out[r] = requireInteger(`tokenIds[${r}]`, id, 0, layout.rowLength - 1);
  });
  return out;
}
