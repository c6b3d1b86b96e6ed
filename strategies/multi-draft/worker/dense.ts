/**
 * A kept processed distribution (workers/decode/fusion.ts, `keep: true`) as a dense CPU vector, for
 * the root's recursive rejection over several candidates (docs/algorithms.md#multi-draft). On WASM
 * the kept row is already on the CPU; on WebGPU its f32 processed logits (−inf where removed) are
 * read back once (4·width bytes, counted in the host's readout). Probabilities are the kept rows'
 * deterministic integer weights (kernels/reference/sampleExp.ts) over their sum: the same weights
 * the GPU draws with.
 */
import type { FusionHost, ProcessedDistribution } from '../../../workers/decode/fusion';
import { CpuDistribution } from '../../../workers/decode/fusion-cpu';
import { GpuDistribution } from '../../../workers/decode/fusion-gpu';
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

async function readGpu(device: GPUDevice, buffer: GPUBuffer, width: number): Promise<Float32Array> {
  const bytes = width * 4;
  const staging = device.createBuffer({ label: 'multiDraft.dense', size: Math.max(16, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder({ label: 'multiDraft.dense' });
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    return new Float32Array(staging.getMappedRange(0, bytes).slice(0));
  } finally {
    staging.destroy();
  }
}

/** The dense form of a kept distribution of `host`'s backend. */
export async function denseOf(host: FusionHost, dist: ProcessedDistribution): Promise<DenseRow> {
  if (dist instanceof CpuDistribution) return denseFromLogits(dist.row.y);
  if (dist instanceof GpuDistribution && host.gpu) {
    const y = await readGpu(host.gpu, dist.row.buffer, dist.row.width);
    host.readout.bytes += 4 * dist.row.width;
    return denseFromLogits(y);
  }
  throw new Error('denseOf: a distribution of another backend');
}
