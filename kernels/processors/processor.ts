/**
 * What a logit processor (docs/algorithms.md#processor-chain) is: a per-entry map z → z′ on the
 * fused row, written once as WGSL and once as its bit-exact CPU twin, with the f32 uniform words it
 * reads. The fusion machinery (kernels/ops/logitStages.ts on the GPU, kernels/reference/logitFusion.ts
 * on the CPU) runs the list of kernels/processors/index.ts in its order, in one of two phases:
 * `input` maps the model's logits before any strategy term (and the amateur row of a contrast),
 * `output` maps the result after the contrast and sparse terms. Warpers (kernels/warpers/) are the
 * other kind of processor: filters on the sampler's integer weights.
 */
import type { WarperParam } from '../warpers/warper';

/** The processor's parameter as the strategies' schema lists it (the shape of ParamSchema in protocol/). */
export type ProcessorParam = WarperParam;

/** One logit processor module. */
export interface LogitProcessor {
  param: ProcessorParam;
  /** `input`: before the strategy terms (both rows of a contrast); `output`: after them. */
  phase: 'input' | 'output';
  /** True when it applies only when sampling (temperature); false: greedy too (repetition penalty). */
  samplingOnly: boolean;
  /** True when it reads whether the entry's id occurs in the sequence so far (`seen`). */
  readsHistory: boolean;
  /** Accepted kernel values, as errors say it (e.g. `a finite number > 0`). */
  range: string;
  /** True when `v` is in range. */
  valid(v: number): boolean;
  /** True when `v` leaves every logit unchanged (the stage is then skipped). */
  isOff(v: number): boolean;
  /** How many f32 uniform words it reads (PROCESSOR_WORDS in all across the list). */
  words: number;
  /** Its `words` uniform words, each already rounded with Math.fround. */
  pack(v: number): readonly number[];
  /** CPU twin of the WGSL: z an f32 value, `seen` the history flag, `w` the packed words; returns an f32 value. */
  cpu(z: number, seen: boolean, w: readonly number[]): number;
  /**
   * WGSL `fn <param.name>Stage(z: f32, seen: bool, w: vec4<f32>) -> f32`, the twin of `cpu`
   * (w.x, w.y, … are the packed words). Wrap every product that a following add could fuse into an
   * fma in `nf()`.
   */
  wgsl: string;
  /**
   * Output phase only: what a constant shift d of every input logit becomes after the stage (the
   * logprob contrast's display offset passes through it). Temperature: d · w[0].
   */
  shift?(d: number, w: readonly number[]): number;
}
