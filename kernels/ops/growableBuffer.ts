/** A reusable GPU buffer that is replaced by a larger one (power-of-two bytes) when a use needs more. */
export class GrowableBuffer {
  private buffer: GPUBuffer | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly label: string,
    private readonly usage: GPUBufferUsageFlags,
  ) {}

  /**
   * A buffer of at least `bytes` bytes. Growing destroys the old buffer, which is safe once work
   * using it has been submitted; the kernels use each buffer once per submit.
   */
  ensure(bytes: number): GPUBuffer {
    const needed = Math.max(16, Math.ceil(bytes / 4) * 4);
    if (this.buffer && this.buffer.size >= needed) return this.buffer;
    this.buffer?.destroy();
    const size = 2 ** Math.ceil(Math.log2(needed));
    this.buffer = this.device.createBuffer({ label: this.label, size, usage: this.usage });
    return this.buffer;
  }

  /** Frees the buffer; a later ensure() allocates again. */
  dispose(): void {
    this.buffer?.destroy();
    this.buffer = null;
  }
}
