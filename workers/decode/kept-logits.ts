import type { FusionHost, ProcessedDistribution } from './fusion';
import { CpuDistribution } from './fusion-cpu';
import { GpuDistribution } from './fusion-gpu';

/**
 * The final processed logits (f32, −inf where masked or removed) of a kept distribution (`keep: true`)
 * on the CPU: the row itself on WASM; on WebGPU one copy of 4·width bytes, counted in the host's
 * readout. For the strategies that need a whole processed row once (multi-draft's root, an ASAp trie
 * node); a decode step never reads one.
 */
export async function keptLogits(host: FusionHost, dist: ProcessedDistribution): Promise<Float32Array> {
  if (dist instanceof CpuDistribution) return dist.row.y;
  if (!(dist instanceof GpuDistribution) || !host.gpu) throw new Error('keptLogits: a distribution of another backend');
  const device = host.gpu;
  const bytes = dist.row.width * 4;
  const staging = device.createBuffer({ label: 'keptLogits', size: Math.max(16, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder({ label: 'keptLogits' });
    encoder.copyBufferToBuffer(dist.row.buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    host.readout.bytes += bytes;
    return new Float32Array(staging.getMappedRange(0, bytes).slice(0));
  } finally {
    staging.destroy();
  }
}
