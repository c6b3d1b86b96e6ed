import { LogitscopeError } from '../errors';
import type { ParamSchema, ParamValue } from '../../protocol';

/**
 * The Hugging Face processor chain every strategy accepts (docs/algorithms.md#processor-chain): repetition
 * penalty always (greedy included), then, only when sampling, temperature → top-k → top-p → min-p.
 */
export interface ChainParams {
  /** Softmax temperature, ≥ 0; below GREEDY_TEMPERATURE the chain is greedy (no warpers, no draw). */
  temperature: number;
  /** Keep the tokens whose logit is ≥ the k-th largest (ties kept); 0 = off. */
  topK: number;
  /** Keep the smallest most-probable prefix with mass ≥ topP (crossing token kept); 1 = off. In (0, 1]. */
  topP: number;
  /** Drop tokens with p < minP · max p (after temperature); 0 = off. In [0, 1]. */
  minP: number;
  /** CTRL penalty θ over the distinct ids of the whole sequence (prompt included); 1 = off. > 0. */
  repetitionPenalty: number;
}

/** Temperatures below this are treated as greedy (docs/algorithms.md#temperature). */
export const GREEDY_TEMPERATURE = 1e-5;

/** Every processor off, temperature 0: plain greedy. */
export const GREEDY_CHAIN: ChainParams = Object.freeze({ temperature: 0, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1 });

/** Largest accepted temperature / repetition penalty / top-k (guards against typos, not a semantic limit). */
const MAX_TEMPERATURE = 100;
const MAX_PENALTY = 100;
const MAX_TOP_K = 1 << 24;

/**
 * Param schema entries of the chain, with per-strategy defaults (every strategy: temperature 0 and
 * every processor off, except `sample` 1.0 and `cntp` 0.8 / topP 0.9).
 */
export function chainParams(defaults: Partial<ChainParams> = {}): ParamSchema[] {
  const d = { ...GREEDY_CHAIN, ...defaults };
  return [
    { name: 'temperature', label: 'Temperature', type: 'number', default: d.temperature, min: 0, max: MAX_TEMPERATURE, help: 'Divide the logits by T before sampling. 0 (or below 1e-5) = greedy: the warpers below are then ignored, as in Hugging Face.' },
    { name: 'topK', label: 'Top-k', type: 'integer', default: d.topK, min: 0, max: MAX_TOP_K, help: 'Keep the k most likely tokens (ties with the k-th are kept). 0 = off. Sampling only.' },
    { name: 'topP', label: 'Top-p', type: 'number', default: d.topP, min: 0, max: 1, help: 'Keep the smallest set of most likely tokens whose probability reaches p (the crossing token is kept). 1 = off; must be > 0. Sampling only.' },
    { name: 'minP', label: 'Min-p', type: 'number', default: d.minP, min: 0, max: 1, help: 'Drop tokens less likely than minP × the top probability (after temperature). 0 = off. Sampling only.' },
    { name: 'repetitionPenalty', label: 'Repetition penalty', type: 'number', default: d.repetitionPenalty, min: 0, max: MAX_PENALTY, help: 'CTRL penalty θ on every token already in the sequence, prompt included: positive logits ÷ θ, negative × θ. 1 = off; must be > 0. Applies to greedy too.' },
  ];
}

function bad(message: string): never {
  throw new LogitscopeError('bad-request', message);
}

function num(params: Record<string, ParamValue>, name: keyof ChainParams, fallback: number): number {
  const v = params[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${name} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * The chain part of a strategy's validated params (missing names take GREEDY_CHAIN values).
 * Throws a bad-request LogitscopeError naming the parameter and value for out-of-range values.
 */
export function parseChain(params: Record<string, ParamValue>): ChainParams {
  const c: ChainParams = {
    temperature: num(params, 'temperature', GREEDY_CHAIN.temperature),
    topK: num(params, 'topK', GREEDY_CHAIN.topK),
    topP: num(params, 'topP', GREEDY_CHAIN.topP),
    minP: num(params, 'minP', GREEDY_CHAIN.minP),
    repetitionPenalty: num(params, 'repetitionPenalty', GREEDY_CHAIN.repetitionPenalty),
  };
  return validateChain(c);
}

/** Checks every field's range; returns the same object. Errors name the parameter and the value. */
export function validateChain(c: ChainParams): ChainParams {
  if (!(c.temperature >= 0 && c.temperature <= MAX_TEMPERATURE)) bad(`temperature must be in [0, ${MAX_TEMPERATURE}] (0 = greedy), got ${c.temperature}`);
  if (!Number.isInteger(c.topK) || c.topK < 0 || c.topK > MAX_TOP_K) bad(`topK must be an integer in [0, ${MAX_TOP_K}] (0 = off), got ${c.topK}`);
  if (!(c.topP > 0 && c.topP <= 1)) bad(`topP must be in (0, 1] (1 = off), got ${c.topP}`);
  if (!(c.minP >= 0 && c.minP <= 1)) bad(`minP must be in [0, 1] (0 = off), got ${c.minP}`);
  if (!(c.repetitionPenalty > 0 && c.repetitionPenalty <= MAX_PENALTY)) bad(`repetitionPenalty must be in (0, ${MAX_PENALTY}] (1 = off), got ${c.repetitionPenalty}`);
  return c;
}

/** True when the chain samples (temperature ≥ GREEDY_TEMPERATURE): warpers apply and one uniform is drawn. */
export function isSampling(c: ChainParams): boolean {
  return c.temperature >= GREEDY_TEMPERATURE;
}
