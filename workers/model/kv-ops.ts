import type * as ort from 'onnxruntime-web/webgpu';
import { configureOrt } from '../runtime/ort';
import { KvCache } from './kv-cache';

/** Which slice of a [batch, heads, len, dim] tensor to build: rows picked from the source, positions kept. */
interface Plan {
  /** Source batch row for each destination row. */
  rows: number[];
  /** Positions kept (the first `keep` of axis 2). */
  keep: number;
}

function bytesPer(t: ort.Tensor): number {
  return t.type === 'float16' ? 2 : 4;
}

/** GPU path: one command encoder of copyBufferToBuffer calls, wrapped back into ORT tensors. */
function planGpu(device: GPUDevice, src: ort.Tensor, plan: Plan, encoder: GPUCommandEncoder): ort.Tensor {
  const o = configureOrt();
  const [, heads, len, dim] = src.dims as [number, number, number, number];
  const el = bytesPer(src);
  const dstRowBytes = heads * plan.keep * dim * el;
  const size = Math.max(16, Math.ceil((dstRowBytes * plan.rows.length) / 16) * 16);
  const buffer = device.createBuffer({ label: 'kv-slice', size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const chunk = plan.keep * dim * el;
  if (chunk > 0) {
    plan.rows.forEach((srcRow, dstRow) => {
      for (let h = 0; h < heads; h++) {
        const from = ((srcRow * heads + h) * len * dim) * el;
        const to = ((dstRow * heads + h) * plan.keep * dim) * el;
        encoder.copyBufferToBuffer(src.gpuBuffer as GPUBuffer, from, buffer, to, chunk);
      }
    });
  }
  return o.Tensor.fromGpuBuffer(buffer, {
    dataType: src.type as 'float32' | 'float16',
    dims: [plan.rows.length, heads, plan.keep, dim],
    dispose: () => buffer.destroy(),
  });
}

/** CPU path: the same slice over typed arrays. */
function planCpu(src: ort.Tensor, plan: Plan): ort.Tensor {
  const o = configureOrt();
  const [, heads, len, dim] = src.dims as [number, number, number, number];
  const data = src.data as Float32Array | Uint16Array;
  const out = new (data.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(plan.rows.length * heads * plan.keep * dim);
  plan.rows.forEach((srcRow, dstRow) => {
    for (let h = 0; h < heads; h++) {
      const from = (srcRow * heads + h) * len * dim;
      out.set(data.subarray(from, from + plan.keep * dim), (dstRow * heads + h) * plan.keep * dim);
    }
  });
  return new o.Tensor(src.type as 'float32', out as Float32Array, [plan.rows.length, heads, plan.keep, dim]);
}

/**
 * Apply a plan to every tensor of a cache; the source cache is left intact. With `encoder` (GPU
 * caches) the copies are recorded into it and the caller submits them, before the new cache is used
 * and while the source cache is alive.
 */
function apply(device: GPUDevice | null, cache: KvCache, plan: Plan, encoder?: GPUCommandEncoder): KvCache {
  if (plan.keep > cache.length || plan.rows.some((r) => r < 0 || r >= cache.batch)) {
    throw new Error(`KV slice out of range: keep ${plan.keep} of ${cache.length}, rows ${plan.rows.join(',')} of ${cache.batch}`);
  }
  const out = new Map<string, ort.Tensor>();
  const gpu = [...cache.tensors.values()].some((t) => t.location === 'gpu-buffer');
  if (gpu) {
    if (!device) throw new Error('GPU KV cache without a device');
    const own = encoder ? null : device.createCommandEncoder({ label: 'kv-slice' });
    for (const [name, t] of cache.tensors) out.set(name, planGpu(device, t, plan, encoder ?? own!));
    if (own) device.queue.submit([own.finish({ label: 'kvSlice.commands' })]);
  } else {
    for (const [name, t] of cache.tensors) out.set(name, planCpu(t, plan));
  }
  return new KvCache(out, plan.keep, plan.rows.length);
}

/** Keep the first `length` positions of every row (speculative rollback). */
export function truncateCache(device: GPUDevice | null, cache: KvCache, length: number): KvCache {
  return apply(device, cache, { rows: Array.from({ length: cache.batch }, (_, i) => i), keep: length });
}

/** Repeat a batch-1 cache `b` times (CNTP trials, contrastive-search candidates); `encoder` as in apply. */
export function tileCache(device: GPUDevice | null, cache: KvCache, b: number, encoder?: GPUCommandEncoder): KvCache {
  if (cache.batch !== 1) throw new Error(`tile needs a batch-1 cache, got batch ${cache.batch}`);
  return apply(device, cache, { rows: Array.from({ length: b }, () => 0), keep: cache.length }, encoder);
}

/** Rows `rows` of the cache in that order, repeats allowed (beam search's parents); `encoder` as in apply. */
export function gatherCacheRows(device: GPUDevice | null, cache: KvCache, rows: readonly number[], encoder?: GPUCommandEncoder): KvCache {
  return apply(device, cache, { rows: [...rows], keep: cache.length }, encoder);
}

/** Keep batch row `i` only (the CNTP winner, the contrastive-search choice), its first `keep` positions; `encoder` as in apply. */
export function selectCacheRow(device: GPUDevice | null, cache: KvCache, i: number, keep: number = cache.length, encoder?: GPUCommandEncoder): KvCache {
  return apply(device, cache, { rows: [i], keep }, encoder);
}
