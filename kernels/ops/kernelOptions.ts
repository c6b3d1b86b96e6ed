import { DEFAULT_WORKGROUP_SIZE, ITEMS_PER_THREAD } from '../limits';
import { KernelArgumentError } from '../errors';
import { requireInteger } from '../validate';

/** Construction options shared by the kernel host classes. */
export interface KernelOptions {
  /** Invocations per workgroup (WGSL `override WG`): a power of two in [32, 256]. Default DEFAULT_WORKGROUP_SIZE (64). */
  workgroupSize?: number;
}

/** Checks the workgroup size against the options rules and the device's limits. */
export function resolveWorkgroupSize(device: GPUDevice, options: KernelOptions): number {
  const wg = options.workgroupSize ?? DEFAULT_WORKGROUP_SIZE;
  const max = Math.min(256, device.limits.maxComputeInvocationsPerWorkgroup, device.limits.maxComputeWorkgroupSizeX);
  requireInteger('workgroupSize', wg, 32, max);
  if ((wg & (wg - 1)) !== 0) throw new KernelArgumentError('workgroupSize', wg, 'a power of two');
  return wg;
}

/** Logits one phase-1 workgroup covers. */
export function chunkElems(workgroupSize: number): number {
  return workgroupSize * ITEMS_PER_THREAD;
}

/** Throws unless `out` is a STORAGE buffer with room for `words` u32 words at `offsetWords`. */
export function requireOutput(out: GPUBuffer, offsetWords: number, words: number): void {
  if ((out.usage & GPUBufferUsage.STORAGE) === 0) {
    throw new KernelArgumentError('out.usage', out.usage, 'a usage including STORAGE');
  }
  requireInteger('outOffsetWords', offsetWords, 0, 2 ** 32 - 1);
  const needed = (offsetWords + words) * 4;
  if (needed > out.size) {
    throw new KernelArgumentError('out.size', out.size, `at least ${needed} bytes`);
  }
}
