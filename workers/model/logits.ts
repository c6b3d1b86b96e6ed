import type * as ort from 'onnxruntime-web/webgpu';
import { f16ArrayToF32 } from '../../kernels/reference/f16';
import type { LogitRowsGpu } from '../../kernels/types';

/**
 * The `logits` output of one forward pass: [batch, seqLen, width]. On WebGPU it stays in a GPU
 * buffer and only kernel results are read back; on WASM it is a CPU array.
 */
export class Logits {
  constructor(
    private readonly tensor: ort.Tensor,
    readonly batch: number,
    readonly seqLen: number,
    /** lm_head rows per position (may exceed the tokenizer size). */
    readonly width: number,
    /** Entries at or beyond this index are masked (padded lm_head rows). */
    readonly validVocab: number,
  ) {}

  /** Row index of position `pos` (negative counts from the end) of batch row `b`. */
  rowIndex(b: number, pos: number): number {
    const p = pos < 0 ? this.seqLen + pos : pos;
    return b * this.seqLen + p;
  }

  /** GPU view of `count` consecutive rows starting at row `first`, or null on the CPU path. */
  gpuRows(first: number, count: number): LogitRowsGpu | null {
    if (this.tensor.location !== 'gpu-buffer') return null;
    return {
      buffer: this.tensor.gpuBuffer as GPUBuffer,
      dtype: this.tensor.type === 'float16' ? 'f16' : 'f32',
      offsetElems: first * this.width,
      rowStrideElems: this.width,
      rowLength: this.width,
      rows: count,
      validVocab: this.validVocab,
    };
  }

  private f32: Float32Array | null = null;

  /**
   * CPU data as float32, or null on the GPU path. fp16 logits (a Uint16Array of binary16 bits, or
   * a Float16Array where the JS engine has one, as Chromium does) are converted exactly, once.
   */
  cpuData(): Float32Array | null {
    if (this.tensor.location === 'gpu-buffer') return null;
    if (this.f32) return this.f32;
    const data: unknown = this.tensor.data;
    if (data instanceof Float32Array) this.f32 = data;
    else if (this.tensor.type === 'float16' && data instanceof Uint16Array) this.f32 = f16ArrayToF32(data);
    else if (this.tensor.type === 'float16' && ArrayBuffer.isView(data) && !(data instanceof DataView))
      this.f32 = Float32Array.from(data as unknown as ArrayLike<number>);
    else throw new Error(`logits of type ${this.tensor.type} are not supported`);
    return this.f32;
  }

  /** Release the ORT output (its GPU buffer on WebGPU). */
  dispose(): void {
    this.f32 = null;
    this.tensor.dispose();
  }
}
