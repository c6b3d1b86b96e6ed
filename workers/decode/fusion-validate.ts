import { LogitscopeError } from '../errors';
import type { Logits } from '../model/logits';
import { validateChain } from '../processors/chain';
import type { ProcessRowOptions } from './fusion';

/** Most token ids processRow reports probabilities for. */
export const MAX_TOKEN_PROBS = 16;

function bad(message: string): never {
  throw new LogitscopeError('internal', `processRow: ${message}`);
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Throws unless `u` is a number in [0, 1); `name` names it in the message. */
export function validateUniform(u: unknown, name: string): void {
  if (typeof u !== 'number' || !(u >= 0 && u < 1)) bad(`${name} must be a number in [0, 1), got ${String(u)}`);
}

function validateIds(ids: unknown, name: string, width: number): void {
  if (!Array.isArray(ids)) bad(`${name} must be an array of token ids, got ${String(ids)}`);
  ids.forEach((id, i) => {
    if (!isInt(id, 0, width - 1)) bad(`${name}[${i}] must be an integer in [0, ${width - 1}], got ${String(id)}`);
  });
}

/** Checks processRow's arguments at the API boundary; errors name the option and its value. */
export function validateProcessOptions(logits: Logits, row: number, o: ProcessRowOptions): void {
  const rows = logits.batch * logits.seqLen;
  if (!isInt(row, 0, rows - 1)) bad(`row must be an integer in [0, ${rows - 1}], got ${String(row)}`);
  validateChain(o.chain);
  validateIds(o.history, 'history', 2 ** 24);
  if (o.uniform !== null) validateUniform(o.uniform, 'uniform');
  if (o.k !== undefined && !isInt(o.k, 1, 64)) bad(`k must be an integer in [1, 64], got ${String(o.k)}`);
  if (o.tokenIds !== undefined) {
    validateIds(o.tokenIds, 'tokenIds', logits.width);
    if (o.tokenIds.length > MAX_TOKEN_PROBS) bad(`tokenIds must list at most ${MAX_TOKEN_PROBS} ids, got ${o.tokenIds.length}`);
  }
  const c = o.contrast;
  if (c) {
    const aRows = c.logits.batch * c.logits.seqLen;
    if (!isInt(c.row, 0, aRows - 1)) bad(`contrast.row must be an integer in [0, ${aRows - 1}], got ${String(c.row)}`);
    if ((c.logits.gpuRows(c.row, 1) === null) !== (logits.gpuRows(row, 1) === null)) bad('contrast.logits must live on the same backend (GPU or CPU) as logits');
    if (c.form !== 'logit' && c.form !== 'logprob') bad(`contrast.form must be "logit" or "logprob", got ${JSON.stringify(c.form)}`);
    if (!(c.beta >= 0 && Number.isFinite(c.beta))) bad(`contrast.beta must be a finite number ≥ 0, got ${String(c.beta)}`);
    if (!(c.alpha > 0 && c.alpha <= 1)) bad(`contrast.alpha must be in (0, 1], got ${String(c.alpha)}`);
    if (!(c.amateurTemperature > 0 && Number.isFinite(c.amateurTemperature))) bad(`contrast.amateurTemperature must be a finite number > 0, got ${String(c.amateurTemperature)}`);
  }
  const s = o.sparse;
  if (s) {
    validateIds(s.ids, 'sparse.ids', logits.width);
    if (new Set(s.ids).size !== s.ids.length) bad('sparse.ids must be distinct');
    if (!Array.isArray(s.values) || s.values.length !== s.ids.length) bad(`sparse.values must have one value per id (${s.ids.length}), got ${String(s.values?.length)}`);
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) bad(`sparse.values[${i}] must be finite, got ${String(v)}`);
    });
    if (typeof s.scale !== 'function' && !Number.isFinite(s.scale)) bad(`sparse.scale must be finite, got ${String(s.scale)}`);
  }
}
