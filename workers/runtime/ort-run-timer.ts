import type * as ort from 'onnxruntime-web/webgpu';

/**
 * Times `InferenceSession.run` in this worker, for the benchmark's breakdown of a token's time into
 * onnxruntime's part and ours (test and benchmark builds only, like the submit counter). What a run
 * costs until its promise settles: on WASM the whole forward pass with its input and output copies;
 * on WebGPU encoding and submitting it (the GPU work finishes later, inside our readout's wait).
 */
let runs = 0;
let ms = 0;
let installed = false;

type RunMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Wrap `InferenceSession.prototype.run` of `o` so that every call reports its milliseconds to
 * `onRun`; returns the function that puts the original back. The harness uses it on the page's
 * onnxruntime-web while transformers.js generates.
 */
export function timeOrtRuns(o: typeof ort, onRun: (ms: number) => void): () => void {
  const proto = (o.InferenceSession as unknown as { prototype: { run: RunMethod } }).prototype;
  const run = proto.run;
  proto.run = async function timedRun(this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return await run.apply(this, args);
    } finally {
      onRun(performance.now() - t0);
    }
  };
  return () => {
    proto.run = run;
  };
}

/** Start timing this worker's runs (idempotent). */
export function installOrtRunTimer(o: typeof ort): void {
  if (installed) return;
  installed = true;
  timeOrtRuns(o, (t) => {
    runs++;
    ms += t;
  });
}

/** `InferenceSession.run` calls so far and the milliseconds they took. */
export function ortRunTime(): { runs: number; ms: number } {
  return { runs, ms };
}
