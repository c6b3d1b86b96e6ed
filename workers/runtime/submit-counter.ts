/**
 * Counts GPUQueue.submit calls made in this worker (ORT's forward passes and our kernels alike),
 * for the benchmark's "GPU submits per token". Wrapping the prototype once is cheap: one increment.
 */
let submits = 0;
let installed = false;

/** Start counting (idempotent; a no-op where WebGPU does not exist). */
export function installSubmitCounter(): void {
  if (installed || typeof GPUQueue === 'undefined') return;
  installed = true;
  const submit = GPUQueue.prototype.submit;
  GPUQueue.prototype.submit = function countedSubmit(this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
    submits++;
    return submit.call(this, buffers);
  };
}

/** Submits counted so far. */
export function submitCount(): number {
  return submits;
}
