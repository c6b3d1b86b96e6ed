/**
 * The processor machinery both paths share: checking a spec's processor values, and turning them into
 * what one fusion reads (which stages are on, their uniform words, whether the history list is
 * needed). The CPU twin runs the stages in kernels/reference/logitFusion.ts, the GPU in the WGSL that
 * kernels/ops/logitStages.ts generates from the same list.
 */
import { KernelArgumentError } from '../errors';
import { PROCESSOR_WORDS, PROCESSORS } from './index';
import type { LogitProcessor } from './processor';

/** Word offset of each processor in the uniform area, in list order. */
export const PROCESSOR_OFFSETS: readonly number[] = PROCESSORS.reduce<number[]>((o, p, i) => [...o, i === 0 ? 0 : o[i - 1]! + PROCESSORS[i - 1]!.words], []);

const used = PROCESSORS.reduce((n, p) => n + p.words, 0);
if (used > PROCESSOR_WORDS) throw new Error(`logit processors need ${used} uniform words; the fusion has ${PROCESSOR_WORDS} (grow Params.pw)`);

/** The on-stages of one fusion. */
export interface ProcessorPlan {
  /** Bit i set: PROCESSORS[i] runs. */
  on: number;
  /** The uniform area (PROCESSOR_WORDS f32 values). */
  words: number[];
  /** True when a stage that runs reads the history flag. */
  history: boolean;
  /** The stages that run, in list order, each with its words (what the CPU phases iterate). */
  stages: readonly { processor: LogitProcessor; words: readonly number[] }[];
}

/** Checks the values by name; errors name the processor and value. */
export function validateProcessors(values: unknown): void {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new KernelArgumentError('processors', values, 'an object of processor values by name');
  for (const [name, v] of Object.entries(values)) {
    const p = PROCESSORS.find((q) => q.param.name === name);
    if (!p) throw new KernelArgumentError(`processors.${name}`, v, `one of ${PROCESSORS.map((q) => q.param.name).join(', ')}`);
    if (typeof v !== 'number' || !p.valid(v)) throw new KernelArgumentError(`processors.${name}`, v, p.range);
  }
}

/** The stages a (validated) set of values turns on, with their words. */
export function planProcessors(values: Readonly<Record<string, number>>): ProcessorPlan {
  const words = new Array<number>(PROCESSOR_WORDS).fill(0);
  let on = 0;
  let history = false;
  const stages: { processor: LogitProcessor; words: readonly number[] }[] = [];
  PROCESSORS.forEach((p, i) => {
    const v = values[p.param.name];
    if (v === undefined || p.isOff(v)) return;
    on |= 1 << i;
    history ||= p.readsHistory;
    const packed = p.pack(v);
    packed.forEach((w, j) => (words[PROCESSOR_OFFSETS[i]! + j] = w));
    stages.push({ processor: p, words: packed });
  });
  return { on, words, history, stages };
}

/** CPU: one phase's on-stages applied to an f32 value, in list order (per entry: no allocation). */
export function applyPhase(plan: ProcessorPlan, phase: LogitProcessor['phase'], z: number, seen: boolean): number {
  let s = z;
  for (const { processor, words } of plan.stages) if (processor.phase === phase) s = processor.cpu(s, seen, words);
  return s;
}

/** A constant shift d of the fused row before the output phase, after it (the logprob contrast's display offset). */
export function outputShift(plan: ProcessorPlan, d: number): number {
  let s = d;
  for (const { processor, words } of plan.stages) {
    if (processor.phase !== 'output') continue;
    if (!processor.shift) throw new Error(`output processor ${processor.param.name} has no shift()`);
    s = processor.shift(s, words);
  }
  return s;
}
