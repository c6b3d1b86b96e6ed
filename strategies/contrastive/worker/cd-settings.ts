import type { ParamSchema, ParamValue } from '../../../protocol';
import { numberParam, stringParam } from '../../../workers/params';

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

/** The contrast's parameter schema; the open ends (α > 0, τ_A > 0) are part of it. */
export const CONTRAST_PARAMS: ParamSchema[] = [
  { name: 'alpha', label: 'Plausibility α', type: 'number', default: 0.1, min: 0, minExclusive: true, max: 1, help: 'Keep only tokens with p_expert ≥ α · max p_expert (V_head); must be > 0. 1 = expert greedy.' },
  { name: 'beta', label: 'Amateur weight β', type: 'number', default: 0.5, min: 0, max: 10, help: 'Logit form: (1+β)·z_expert − β·z_amateur. 0 = expert greedy. Unused by the log-prob form.' },
  { name: 'form', label: 'Form', type: 'enum', default: 'logit', options: ['logit', 'logprob'], help: 'logit: O\u2019Brien & Lewis 2023 (default). logprob: Li et al. 2022, log p_expert − log p_amateur.' },
  { name: 'amateurTemperature', label: 'Amateur temperature τ', type: 'number', default: 1, min: 0, minExclusive: true, max: 100, help: 'Log-prob form: the amateur distribution is softmax(z_amateur / τ); must be > 0. Unused by the logit form.' },
];

/** The contrast settings of a panel's params, read through the shared checker (errors name the parameter and value). */
export function parseContrast(params: Record<string, ParamValue>): ContrastSettings {
  const read = (name: string) => numberParam(CONTRAST_PARAMS, params, name);
  const form = stringParam(CONTRAST_PARAMS, params, 'form') as ContrastForm;
  return { alpha: read('alpha'), beta: read('beta'), form, amateurTemperature: read('amateurTemperature') };
}
