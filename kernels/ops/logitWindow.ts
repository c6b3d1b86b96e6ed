import { KernelArgumentError } from '../errors';
import type { LogitRowsGpu } from '../types';
import { layoutEndElem, validateLayout } from '../validate';

/** The part of a logits buffer bound to a kernel: byte range and the window-relative row 0 start. */
export interface LogitWindow {
  offsetBytes: number;
  sizeBytes: number;
  /** Element index of row 0, entry 0, counted from the start of the window. */
  baseElem: number;
}

/** Bytes per element of a logit dtype. */
export function bytesPerElement(dtype: LogitRowsGpu['dtype']): number {
  if (dtype === 'f32') return 4;
  if (dtype === 'f16') return 2;
  throw new KernelArgumentError('src.dtype', dtype, '"f32" or "f16"');
}

/**
 * Validates `src` and returns the smallest bindable window holding its rows: the offset is aligned
 * down to minStorageBufferOffsetAlignment (so large buffers, e.g. all-position logits, stay under
 * maxStorageBufferBindingSize) and the size is rounded up to whole u32 words.
 */
export function logitWindow(device: GPUDevice, src: LogitRowsGpu): LogitWindow {
  validateLayout(src);
  const bpe = bytesPerElement(src.dtype);
  if ((src.buffer.usage & GPUBufferUsage.STORAGE) === 0) {
    throw new KernelArgumentError('src.buffer.usage', src.buffer.usage, 'a usage including STORAGE');
  }
  const align = device.limits.minStorageBufferOffsetAlignment;
  const offsetBytes = Math.floor((src.offsetElems * bpe) / align) * align;
  const endBytes = Math.ceil((layoutEndElem(src) * bpe) / 4) * 4;
  if (endBytes > src.buffer.size) {
    throw new KernelArgumentError('src.buffer.size', src.buffer.size, `at least ${endBytes} bytes for these rows (read as whole u32 words)`);
  }
  const sizeBytes = endBytes - offsetBytes;
  if (sizeBytes > device.limits.maxStorageBufferBindingSize) {
    throw new KernelArgumentError('src rows span', `${sizeBytes} bytes`, `at most maxStorageBufferBindingSize = ${device.limits.maxStorageBufferBindingSize}`);
  }
  return { offsetBytes, sizeBytes, baseElem: src.offsetElems - offsetBytes / bpe };
}
