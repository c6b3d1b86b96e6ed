/** A kernel argument is invalid; `param` names it and `value` is what was passed. */
export class KernelArgumentError extends RangeError {
  override readonly name = 'KernelArgumentError';

  constructor(
    readonly param: string,
    readonly value: unknown,
    requirement: string,
  ) {
    super(`${param} must be ${requirement}, got ${formatValue(value)}`);
  }
}

/** A logit row cannot be normalised: it has no finite entry, or it holds NaN / +inf. */
export class NonFiniteRowError extends Error {
  override readonly name = 'NonFiniteRowError';

  constructor(
    /** Index of the offending row within the request (0-based). */
    readonly row: number,
    /** 'no-finite': every entry is -inf or beyond validVocab; 'nan-or-inf': NaN or +inf entries. */
    readonly reason: 'no-finite' | 'nan-or-inf',
    detail: string,
  ) {
    super(reason === 'no-finite' ? `row ${row} has no finite logit (${detail})` : `row ${row} contains NaN or +inf logits (${detail})`);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return String(value);
}
