/**
 * Host side of the logit processors on the GPU: the WGSL the list of kernels/processors/index.ts
 * contributes to the fusion module — each processor's stage function and, per phase, a function
 * that runs the stages that are on (Params.procOn) in list order with their words (Params.pw).
 */
import { PROCESSORS } from '../processors';
import { PROCESSOR_OFFSETS } from '../processors/plan';
import type { LogitProcessor } from '../processors/processor';

function phaseFn(name: string, phase: LogitProcessor['phase']): string {
  const calls = PROCESSORS.flatMap((p, i) => {
    if (p.phase !== phase) return [];
    const o = PROCESSOR_OFFSETS[i]!;
    const w = [0, 1, 2, 3].map((j) => (j < p.words ? `params.pw[${o + j}]` : '0.0')).join(', ');
    return [`  if ((params.procOn & ${1 << i}u) != 0u) {\n    s = ${p.param.name}Stage(s, seen, vec4<f32>(${w}));\n  }`];
  });
  return `fn ${name}(z: f32, seen: bool) -> f32 {\n  var s = z;\n${calls.join('\n')}\n  return s;\n}`;
}

/** The processors' stage functions plus `inputStages(z, seen)` and `outputStages(z, seen)`. */
export function logitStagesWgsl(): string {
  return [...PROCESSORS.map((p) => p.wgsl), phaseFn('inputStages', 'input'), phaseFn('outputStages', 'output')].join('\n');
}
