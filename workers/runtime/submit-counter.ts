/**
 * Counts GPUQueue.submit calls made in this worker, for the benchmark's "GPU submits per token":
 * all of them (ORT's forward passes and our kernels alike) and ours alone. Wrapping the prototype
 * once is cheap: one increment and a look at the command buffers' labels.
 *
 * Ours vs ORT's: every command buffer our code submits is finished with a label ending in
 * OUR_COMMANDS_SUFFIX ('rowReadout.commands', 'sampleRow.commands', 'kvSlice.commands',
 * 'grad.tokenLogits.commands'); onnxruntime-web finishes its encoders without a label. A submit
 * counts as ours when any of its command buffers carries such a label.
 */
let submits = 0;
let ours = 0;
let installed = false;

/** Label suffix of the command buffers our kernels and KV copies submit. */
export const OUR_COMMANDS_SUFFIX = '.commands';

/** True when a submit of these command buffers is ours (see the module comment). */
export function isOurSubmit(buffers: readonly GPUCommandBuffer[]): boolean {
  return buffers.some((b) => typeof b.label === 'string' && b.label.endsWith(OUR_COMMANDS_SUFFIX));
}

/** Start counting (idempotent; a no-op where WebGPU does not exist). */
export function installSubmitCounter(): void {
  if (installed || typeof GPUQueue === 'undefined') return;
  installed = true;
  const submit = GPUQueue.prototype.submit;
  GPUQueue.prototype.submit = function countedSubmit(this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
    const list = Array.isArray(buffers) ? (buffers as GPUCommandBuffer[]) : [...buffers];
    submits++;
    if (isOurSubmit(list)) ours++;
    return submit.call(this, list);
  };
}

/** Submits counted so far (ORT's and ours). */
export function submitCount(): number {
  return submits;
}

/** Submits of our own command buffers counted so far (kernels, KV-cache copies). */
export function ourSubmitCount(): number {
  return ours;
}
