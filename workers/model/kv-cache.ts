import type * as ort from 'onnxruntime-web/webgpu';

/**
 * The past key/value tensors of one sequence batch, as fed to the next forward pass. GPU-resident
 * on WebGPU (ORT outputs kept as `gpu-buffer`), CPU tensors on WASM.
 */
export class KvCache {
  private disposed = false;

  /**
   * @param tensors past_key_values.* input name -> tensor [batch, kvHeads, length, headDim]
   * @param length positions held (the sequence length already processed)
   * @param batch rows
   */
  constructor(
    readonly tensors: Map<string, ort.Tensor>,
    readonly length: number,
    readonly batch: number,
  ) {}

  /** Release the tensors (returns their GPU buffers to ORT). Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.tensors.values()) t.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}
