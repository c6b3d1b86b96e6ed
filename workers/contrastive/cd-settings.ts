import { LogitscopeError } from '../errors';
import type { ParamValue } from '../protocol';

/** Which contrastive-decoding objective: O'Brien & Lewis logit form or Li et al. log-probability form. */
export type ContrastForm = 'logit' | 'logprob';

/** The contrast's own parameters (the processor chain's come separately). */
export interface ContrastSettings {
  /** Plausibility cutoff α in (0, 1]: V_head = {i : p_E[i] ≥ α · max p_E}. */
  alpha: number;
  /** Amateur weight β ≥ 0 of the logit form (Li's form has none). */
  beta: number;
  form: ContrastForm;
  /** Amateur temperature τ_A > 0 of the log-prob form: log p_A = log softmax(z_A / τ_A). */
  amateurTemperature: number;
}

/**
 * The contrast settings of a panel's validated params. The schema checks ranges with inclusive
 * bounds; the open ends (α > 0, τ_A > 0) are checked here, as bad-request errors naming the value.
 */
export function parseContrast(params: Record<string, ParamValue>): ContrastSettings {
  const { alpha, beta, form, amateurTemperature } = params;
  const bad = (msg: string): never => {
    throw new LogitscopeError('bad-request', `contrastive decoding: ${msg}`);
  };
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 1)) bad(`alpha must be in (0, 1], got ${JSON.stringify(alpha)}`);
  if (typeof beta !== 'number' || !(beta >= 0 && Number.isFinite(beta))) bad(`beta must be a finite number ≥ 0, got ${JSON.stringify(beta)}`);
  if (form !== 'logit' && form !== 'logprob') bad(`form must be logit or logprob, got ${JSON.stringify(form)}`);
  if (typeof amateurTemperature !== 'number' || !(amateurTemperature > 0 && Number.isFinite(amateurTemperature))) {
    bad(`amateurTemperature must be a finite number > 0, got ${JSON.stringify(amateurTemperature)}`);
  }
  return { alpha: alpha as number, beta: beta as number, form: form as ContrastForm, amateurTemperature: amateurTemperature as number };
}
