/**
 * Times one loaded model on its backend for `backend=auto` (protocol/backend-choice.ts): a warm-up
 * pass (on WebGPU mostly shader compilation, which it also gets out of the way for the first
 * Generate), then a prefill of a short prompt and greedy steps, each step a forward pass plus the
 * readout of its top token — the work a greedy decode does per token.
 */
import type { BackendTiming } from '../../protocol';
import type { LoadedModel } from '../model/loader';
import { Readout } from './readout';
import { SequenceRunner } from './sequence';

/** Prompt of the measurement (any tokenizer encodes it to a few tokens). */
export const TIMING_PROMPT = 'Once upon a time there was a little';
/** Greedy steps timed after the prefill. */
export const TIMED_STEPS = 8;
/** Greedy steps of the warm-up pass. */
const WARMUP_STEPS = 2;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function pass(model: LoadedModel, gpu: GPUDevice | null, readout: Readout, promptIds: number[], steps: number): Promise<{ prefillMs: number; stepMs: number[] }> {
  const seq = new SequenceRunner(model, readout, promptIds, gpu);
  try {
    const t0 = performance.now();
    let row = await seq.next(1);
    const prefillMs = performance.now() - t0;
    const stepMs: number[] = [];
    for (let i = 0; i < steps; i++) {
      seq.commit([row.topIds[0]!]);
      const t = performance.now();
      row = await seq.next(1);
      stepMs.push(performance.now() - t);
    }
    return { prefillMs, stepMs };
  } finally {
    seq.dispose();
  }
}

/** Warm up, then time a prefill and `TIMED_STEPS` greedy steps of `model` (ms/token = median step). */
export async function timeBackend(model: LoadedModel, gpu: GPUDevice | null): Promise<BackendTiming> {
  const promptIds = model.tokenizer.encode(TIMING_PROMPT, false);
  const readout = new Readout(gpu);
  try {
    const w0 = performance.now();
    await pass(model, gpu, readout, promptIds, WARMUP_STEPS);
    const warmupMs = performance.now() - w0;
    const timed = await pass(model, gpu, readout, promptIds, TIMED_STEPS);
    return { prefillMs: timed.prefillMs, msPerToken: median(timed.stepMs), steps: TIMED_STEPS, warmupMs };
  } finally {
    readout.dispose();
  }
}

/** One pass of prefill and `WARMUP_STEPS` greedy steps (compiles the WebGPU pipelines); resolves to its ms. */
export async function warmModel(model: LoadedModel, gpu: GPUDevice | null): Promise<number> {
  const readout = new Readout(gpu);
  try {
    const t0 = performance.now();
    await pass(model, gpu, readout, model.tokenizer.encode(TIMING_PROMPT, false), WARMUP_STEPS);
    return performance.now() - t0;
  } finally {
    readout.dispose();
  }
}
