import { LogitscopeError } from '../errors';
import type { Logits } from '../model/logits';
import { validateChain } from '../processors/chain';
import type { ProcessRowOptions } from './fusion';

/** Most token ids processRow reports probabilities for. */
export const MAX_TOKEN_PROBS = 16;

type Fail = (message: string) => never;

function failWith(where: string): Fail {
  return (message) => {
    throw new LogitscopeError('internal', `${where}: ${message}`);
  };
}

const bad = failWith('processRow');

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Throws unless `u` is a number in [0, 1); `name` names it in the message. */
export function validateUniform(u: unknown, name: string, fail: Fail = bad): void {
  if (typeof u !== 'number' || !(u >= 0 && u < 1)) fail(`${name} must be a number in [0, 1), got ${String(u)}`);
}

function validateIds(ids: unknown, name: string, width: number, fail: Fail): void {
  if (!Array.isArray(ids)) fail(`${name} must be an array of token ids, got ${String(ids)}`);
  ids.forEach((id, i) => {
    if (!isInt(id, 0, width - 1)) fail(`${name}[${i}] must be an integer in [0, ${width - 1}], got ${String(id)}`);
  });
}

/**
 * Checks processRow's arguments at the API boundary; errors name the option and its value, prefixed
 * with `where` (e.g. `processRows: rows[3]`).
 */
export function validateProcessOptions(logits: Logits, row: number, o: ProcessRowOptions, where = 'processRow'): void {
  const fail = failWith(where);
  const rows = logits.batch * logits.seqLen;
  if (!isInt(row, 0, rows - 1)) fail(`row must be an integer in [0, ${rows - 1}], got ${String(row)}`);
  validateChain(o.chain);
  validateIds(o.history, 'history', 2 ** 24, fail);
  if (o.uniform !== null) validateUniform(o.uniform, 'uniform', fail);
  if (o.mirostatMu !== undefined && (typeof o.mirostatMu !== 'number' || Number.isNaN(o.mirostatMu))) fail(`mirostatMu must be a number (bits), got ${String(o.mirostatMu)}`);
  if (o.k !== undefined && !isInt(o.k, 1, 64)) fail(`k must be an integer in [1, 64], got ${String(o.k)}`);
  if (o.tokenIds !== undefined) {
    validateIds(o.tokenIds, 'tokenIds', logits.width, fail);
    if (o.tokenIds.length > MAX_TOKEN_PROBS) fail(`tokenIds must list at most ${MAX_TOKEN_PROBS} ids, got ${o.tokenIds.length}`);
  }
  const c = o.contrast;
  if (c) {
    const aRows = c.logits.batch * c.logits.seqLen;
    if (!isInt(c.row, 0, aRows - 1)) fail(`contrast.row must be an integer in [0, ${aRows - 1}], got ${String(c.row)}`);
    if ((c.logits.gpuRows(c.row, 1) === null) !== (logits.gpuRows(row, 1) === null)) fail('contrast.logits must live on the same backend (GPU or CPU) as logits');
    if (c.form !== 'logit' && c.form !== 'logprob') fail(`contrast.form must be "logit" or "logprob", got ${JSON.stringify(c.form)}`);
    if (!(c.beta >= 0 && Number.isFinite(c.beta))) fail(`contrast.beta must be a finite number ≥ 0, got ${String(c.beta)}`);
    if (!(c.alpha > 0 && c.alpha <= 1)) fail(`contrast.alpha must be in (0, 1], got ${String(c.alpha)}`);
    if (!(c.amateurTemperature > 0 && Number.isFinite(c.amateurTemperature))) fail(`contrast.amateurTemperature must be a finite number > 0, got ${String(c.amateurTemperature)}`);
  }
  const s = o.sparse;
  if (s) {
    validateIds(s.ids, 'sparse.ids', logits.width, fail);
    if (new Set(s.ids).size !== s.ids.length) fail('sparse.ids must be distinct');
    if (!Array.isArray(s.values) || s.values.length !== s.ids.length) fail(`sparse.values must have one value per id (${s.ids.length}), got ${String(s.values?.length)}`);
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) fail(`sparse.values[${i}] must be finite, got ${String(v)}`);
    });
    if (typeof s.scale !== 'function' && !Number.isFinite(s.scale)) fail(`sparse.scale must be finite, got ${String(s.scale)}`);
  }
  if (o.allow !== undefined) {
    if (!(o.allow instanceof Uint32Array)) fail('allow must be a Uint32Array bitmask');
    else if (o.allow.length < Math.ceil(logits.validVocab / 32)) fail(`allow must have at least ${Math.ceil(logits.validVocab / 32)} words, got ${o.allow.length}`);
  }
}
