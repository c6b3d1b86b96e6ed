import { PROCESSORS } from '../../kernels/processors';
import { applyPhase, planProcessors } from '../../kernels/processors/plan';
import { WARPERS, warpersOff } from '../../kernels/warpers';
import { warperValue } from '../../kernels/warpers/warper';
import type { LogitProcessor } from '../../kernels/processors/processor';
import type { WarpSpec } from '../../kernels/types';
import { LogitscopeError } from '../errors';
import { MIROSTAT_PARAMS } from './mirostat';
import { checkParam, type ParamSchema, type ParamValue } from '../../protocol';

/**
 * The Hugging Face processor chain every strategy accepts (docs/algorithms.md#processor-chain): repetition
 * penalty always (greedy included), then, only when sampling, temperature → the warpers of
 * kernels/warpers/index.ts in their order (top-k → top-p → min-p → …), or, when mirostatTau > 0,
 * Mirostat v2 in their place (workers/processors/mirostat.ts). Warpers and the Mirostat parameters
 * not named below are read by name (WarpSpec's index signature); left out, they are off.
 */
export interface ChainParams extends WarpSpec {
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

/** Each logit processor's parameter at its default (temperature 0 = greedy, penalty 1 = off), sampling-only ones or the rest. */
function processorsOff(samplingOnly: boolean): Record<string, number> {
  return Object.fromEntries(PROCESSORS.filter((p) => p.samplingOnly === samplingOnly).map((p) => [p.param.name, p.param.default]));
}

/** Mirostat off (τ 0) and its η at the default. */
function mirostatOff(): Record<string, number> {
  return Object.fromEntries(MIROSTAT_PARAMS.map((s) => [s.name, s.default as number]));
}

/** Every processor off, temperature 0: plain greedy (in the editor's order, see chainParams). */
export const GREEDY_CHAIN: ChainParams = Object.freeze({ ...processorsOff(true), ...warpersOff(), ...mirostatOff(), ...processorsOff(false) } as ChainParams);

/**
 * Param schema entries of the chain, with per-strategy defaults (every strategy: temperature 0 and
 * every processor off, except `sample` 1.0 and `cntp` 0.8 / topP 0.9).
 */
export function chainParams(defaults: Partial<ChainParams> = {}): ParamSchema[] {
  const d: Record<string, number | undefined> = { ...GREEDY_CHAIN, ...defaults };
  const processor = (p: LogitProcessor): ParamSchema => ({ ...p.param, default: d[p.param.name] ?? p.param.default });
  // The editor lists the sampling knobs first (temperature, the warpers, Mirostat), then the rest.
  return [
    ...PROCESSORS.filter((p) => p.samplingOnly).map(processor),
    ...WARPERS.map((w) => ({ ...w.param, default: warperValue(d, w) })),
    ...MIROSTAT_PARAMS.map((s) => ({ ...s, default: d[s.name] ?? s.default })),
    ...PROCESSORS.filter((p) => !p.samplingOnly).map(processor),
  ];
}

/**
 * The logit processors' values for the fusion: each processor at the chain's value, the sampling-only
 * ones (temperature) only when sampling.
 */
export function processorValues(c: ChainParams, sampling: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of PROCESSORS) {
    const v = c[p.param.name];
    if (v === undefined || (p.samplingOnly && !sampling)) continue;
    out[p.param.name] = v;
  }
  return out;
}

/** The chain's schema at the greedy defaults: what parseChain and validateChain check against. */
const CHAIN_SCHEMA: readonly ParamSchema[] = chainParams();

/** The chain value of one schema entry: `value` when the shared checker accepts it, else a bad-request error with its message. */
function checked(s: ParamSchema, value: unknown): number {
  const r = checkParam(s, value);
  if (!r.ok) throw new LogitscopeError('bad-request', r.message);
  return r.value as number;
}

/**
 * The chain part of a strategy's params (missing names take GREEDY_CHAIN values), checked by the
 * shared parameter checker (protocol/params.ts), so messages match the UI's and the worker boundary's.
 * Throws a bad-request LogitscopeError naming the parameter and value.
 */
export function parseChain(params: Record<string, ParamValue>): ChainParams {
  return Object.fromEntries(CHAIN_SCHEMA.map((s) => [s.name, params[s.name] === undefined ? (s.default as number) : checked(s, params[s.name])])) as ChainParams;
}

/** Checks every field of a chain with the same checker (a warper left out is off); returns the same object. */
export function validateChain(c: ChainParams): ChainParams {
  for (const s of CHAIN_SCHEMA) if (c[s.name] !== undefined) checked(s, c[s.name]);
  return c;
}

/** The chain's warper values, every warper of the list named (what the samplers take). */
export function warpOf(c: ChainParams): WarpSpec {
  return Object.fromEntries(WARPERS.map((w) => [w.param.name, warperValue(c, w)])) as WarpSpec;
}

/** True when the chain samples (temperature ≥ GREEDY_TEMPERATURE): warpers apply and one uniform is drawn. */
export function isSampling(c: ChainParams): boolean {
  return c.temperature >= GREEDY_TEMPERATURE;
}

/** Names of the logit processors that apply when not sampling too (repetition and presence penalty). */
export const GREEDY_PROCESSORS: readonly string[] = PROCESSORS.filter((p) => !p.samplingOnly).map((p) => p.param.name);

/**
 * True when a processor that applies to greedy too (repetition or presence penalty) is on: the pick
 * then needs the processed row, not the raw argmax.
 */
export function changesGreedyLogits(c: ChainParams): boolean {
  return planProcessors(processorValues(c, false)).on !== 0;
}

/**
 * The CPU twin of what the chain does to one raw logit when not sampling (the processors that apply
 * to greedy, in order), `seen` whether its id is in the history: for reasoning over a raw top list.
 */
export function greedyLogitFn(c: ChainParams): (z: number, seen: boolean) => number {
  const plan = planProcessors(processorValues(c, false));
  return (z, seen) => applyPhase(plan, 'output', applyPhase(plan, 'input', Math.fround(z), seen), seen);
}
