/**
 * A kept processed distribution (workers/decode/fusion.ts, `keep: true`) as a dense CPU vector, for
 * the root's recursive rejection over several candidates (docs/algorithms.md#multi-draft). On WASM
 * the kept row is already on the CPU; on WebGPU its f32 processed logits (−inf where removed) are
 * read back once (4·width bytes, counted in the host's readout). Probabilities are the kept rows'
 * deterministic integer weights (kernels/reference/sampleExp.ts) over their sum: the same weights
 * the GPU draws with.
 */
import type { FusionHost, ProcessedDistribution } from '../../../workers/decode/fusion';
import { keptLogits } from '../../../workers/decode/kept-logits';
import { weightOf } from '../../../kernels/reference/sampleExp';

/** A processed distribution on the CPU. */
export interface DenseRow {
  /** Final processed logits (f32), −inf where masked or removed. */
  y: Float32Array;
  /** Probabilities (integer weights / their sum). */
  probs: Float64Array;
  /** Lowest id holding the largest processed logit. */
  argmax: number;
}

/** Dense row from processed logits y: weights against the max, normalised. */
export function denseFromLogits(y: Float32Array): DenseRow {
  let ymax = -Infinity;
  let argmax = -1;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! > ymax) {
      ymax = y[i]!;
      argmax = i;
    }
  }
  if (argmax < 0) throw new Error('the processed row keeps no token');
  const probs = new Float64Array(y.length);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weightOf(y[i]!, ymax);
    probs[i] = w;
    sum += w;
  }
  for (let i = 0; i < probs.length; i++) probs[i]! /= sum;
  return { y, probs, argmax };
}

/** The dense form of a kept distribution of `host`'s backend. */
export async function denseOf(host: FusionHost, dist: ProcessedDistribution): Promise<DenseRow> {
  return denseFromLogits(await keptLogits(host, dist));
}
