/**
 * Mirostat v2 (Basu et al. 2021; llama.cpp `llama_sampler_mirostat_v2_apply`; docs/algorithms.md#mirostat):
 * a stateful sampler that steers the surprise of the drawn tokens towards a target τ (bits).
 *
 *   μ = 2τ at the start of a run
 *   each sampled step: keep the tokens with −log2 p ≤ μ (p the softmax after the processors and
 *   temperature; the most likely token always stays), draw x from the renormalised p′,
 *   then μ ← μ − η · (−log2 p′(x) − τ).
 *
 * Keeping −log2 p ≤ μ is the epsilon rule with ε = 2^−μ, so the truncation is the `mass` stage of
 * the epsilon warper (kernels/warpers/epsilon.ts) on both paths, with every other warper off
 * (Mirostat replaces top-k/top-p/min-p/typical/epsilon/eta, as in llama.cpp). The cutoff is
 * 2^−μ quantised to the stage's 32-bit ε (absolute error ≤ 2^−33 in p); μ ≤ 0 keeps the top only.
 *
 * The state μ is a float64 on the host, one per panel run: processRows reads it from the row's
 * `mirostat` option or else its FusionHost (a SequenceRunner owns one; a runner lives for one run),
 * and updates it from the drawn token's processed probability (an integer weight over the integer
 * kept mass, the same on WebGPU and WASM), so a seed gives the same tokens on both backends.
 */
import type { WarpSpec } from '../../kernels/types';
import { warpersOff } from '../../kernels/warpers';
import { epsilonCutoff } from '../../kernels/warpers/epsilon';
import type { ParamSchema } from '../../protocol';
import { LogitscopeError } from '../errors';

/** Most bits τ may ask for. */
export const MAX_MIROSTAT_TAU = 20;

/** The chain's Mirostat parameters as the strategies' schema lists them (after the warpers). */
export const MIROSTAT_PARAMS: readonly ParamSchema[] = [
  {
    name: 'mirostatTau',
    label: 'Mirostat τ',
    type: 'number',
    default: 0,
    min: 0,
    max: MAX_MIROSTAT_TAU,
    help: 'Mirostat v2: the target surprise τ in bits (not nats) per token; llama.cpp suggests 5. It keeps the tokens with −log2 p ≤ μ, starting at μ = 2τ, and after each token moves μ by −η · (surprise − τ). Replaces top-k, top-p, min-p, typical, epsilon and eta when on. 0 = off. Sampling only.',
  },
  {
    name: 'mirostatEta',
    label: 'Mirostat η',
    type: 'number',
    default: 0.1,
    min: 0,
    max: 1,
    help: 'Mirostat v2 learning rate η: how far μ moves per token towards the target surprise (bits). Only with Mirostat τ > 0. Sampling only.',
  },
];

/** The chain fields Mirostat reads by name, mirostatTau and mirostatEta (left out: off, η 0.1). */
export type MirostatParams = { readonly [param: string]: number | undefined };

/** True when the chain turns Mirostat v2 on (τ > 0); it then applies to the rows that are sampled. */
export function mirostatOn(c: MirostatParams): boolean {
  return (c['mirostatTau'] ?? 0) > 0;
}

/** The largest double below 1 (packs to ε_q = 2^32 − 1: only the top's weight reaches it). */
const BELOW_ONE = 1 - 2 ** -53;

/** The ε of the epsilon stage that keeps −log2 p ≤ μ: 2^−μ, clamped into the stage's range (0, 1). */
export function mirostatEpsilon(mu: number): number {
  if (Number.isNaN(mu)) throw new Error('mirostat μ is NaN');
  return Math.min(BELOW_ONE, Math.max(Number.MIN_VALUE, 2 ** -mu));
}

/** The warpers Mirostat runs at threshold μ: every warper off but epsilon at 2^−μ. */
export function mirostatWarp(mu: number): WarpSpec {
  const warp = warpersOff();
  warp[epsilonCutoff.param.name] = mirostatEpsilon(mu);
  return warp;
}

/** The update μ ← μ − η · (−log2 p′ − τ) (float64; p′ the drawn token's processed probability). */
export function mirostatUpdate(mu: number, prob: number, tau: number, eta: number): number {
  return mu - eta * (-Math.log2(prob) - tau);
}

/** One panel run's Mirostat v2 state: μ in bits (null until the first sampled row sets it to 2τ). */
export class MirostatState {
  mu: number | null = null;
  /** Surprise −log2 p′(x) of each drawn token, in order (the control loop's trace). */
  readonly surprises: number[] = [];
  /** μ before each draw, in order. */
  readonly mus: number[] = [];

  /** The threshold for the next draw under `c` (2τ before the first draw); changes nothing. */
  current(c: MirostatParams): number {
    return this.mu ?? 2 * (c['mirostatTau'] ?? 0);
  }

  /** Feeds back the drawn token's processed probability `prob` (drawn at threshold `mu`). */
  observe(c: MirostatParams, mu: number, prob: number): void {
    const surprise = -Math.log2(prob);
    this.mus.push(mu);
    this.surprises.push(surprise);
    this.mu = mirostatUpdate(mu, prob, c['mirostatTau'] ?? 0, c['mirostatEta'] ?? 0.1);
  }
}

/**
 * Throws the bad-request refusal of a strategy for which a stateful sampler is ill-defined
 * (`why` says what it does, e.g. "speculative verification needs a fixed distribution per position").
 */
export function refuseMirostat(c: MirostatParams, strategy: string, why: string): void {
  if (mirostatOn(c)) throw new LogitscopeError('bad-request', `mirostatTau: Mirostat v2 is not available with ${strategy} (${why}); set mirostatTau to 0`);
}
