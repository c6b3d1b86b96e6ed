/**
 * Host side of sampleStage.wgsl: the WGSL the warper list contributes to the sample module (each
 * prefix warper's key function and the prefixKey switch over them) and the dispatch plan of one
 * kept-row encode (which stages are on, their Params slots and passes).
 */
import sampleStageWgsl from '../wgsl/sampleStage.wgsl?raw';
import type { WarpSpec } from '../types';
import { WARPERS } from '../warpers';
import { KIND_CODE, readsEntropy, warperValue, type Warper } from '../warpers/warper';
import type { ParamValues } from './sampleParams';

/** Radix-select slots and rounds of a stage kind (slot 0: 32-bit key, slot 1: 24-bit id). */
const SELECTS: Record<Warper['kind'], readonly (readonly [slot: number, rounds: number])[]> = {
  rank: [[0, 4]],
  prefix: [[0, 4], [1, 3]],
  threshold: [],
  mass: [],
};

/** The stage WGSL: sampleStage.wgsl, the warpers' key functions and the generated prefixKey. */
export function stageWgsl(): string {
  const cases: string[] = [];
  const fns: string[] = [];
  WARPERS.forEach((w, s) => {
    if (w.kind !== 'prefix') return;
    fns.push(w.keyWgsl);
    cases.push(`    case ${s}u: {\n      return ${w.param.name}Key(w, t, h);\n    }`);
  });
  const dispatch = `fn prefixKey(stage: u32, w: u32, t: u32, h: u32) -> u32 {\n  switch stage {\n${cases.join('\n')}\n    default: {\n      return 0u;\n    }\n  }\n}`;
  return [sampleStageWgsl, dispatch, ...fns].join('\n');
}

/** Params slots one kept-row encode may use: the base slot, then per stage its mask and select rounds. */
export const MAX_STAGE_SLOTS = 1 + WARPERS.reduce((n, w) => n + 1 + SELECTS[w.kind].reduce((r, [, rounds]) => r + rounds, 0), 0);

/** The sampler's entry points a stage runs. */
export type StagePass = 'entropyChunk' | 'entropyFinish' | 'massChunk' | 'massFinish' | 'radixHist' | 'radixScan' | 'stageMask';

/** One dispatch: entry point, whether it runs over the row's chunks (else one workgroup), its Params slot. */
export interface StageStep {
  pass: StagePass;
  perChunk: boolean;
  slot: number;
}

/**
 * Params slots (`base` first) and the dispatches of the stages that are on, in the list's order.
 * Each stage's slots carry its area (stage index, kind, packed arg, arg2, flags).
 */
export function planStages(base: ParamValues, warp: WarpSpec | null): { slots: ParamValues[]; steps: StageStep[] } {
  const slots: ParamValues[] = [base];
  const steps: StageStep[] = [];
  if (!warp) return { slots, steps };
  WARPERS.forEach((w, stage) => {
    const v = warperValue(warp, w);
    if (v === w.param.default) return;
    const arg2 = w.kind === 'mass' && w.margin ? w.margin(v) : 0;
    const area: ParamValues = { ...base, stage, kind: KIND_CODE[w.kind], arg: w.pack(v), arg2, flags: readsEntropy(w) ? 1 : 0 };
    const mask = slots.push(area) - 1;
    if (area.flags) steps.push({ pass: 'entropyChunk', perChunk: true, slot: mask }, { pass: 'entropyFinish', perChunk: false, slot: mask });
    if (w.kind === 'mass') steps.push({ pass: 'massChunk', perChunk: true, slot: mask }, { pass: 'massFinish', perChunk: false, slot: mask });
    for (const [slot, rounds] of SELECTS[w.kind]) {
      for (let round = 0; round < rounds; round++) {
        const at = slots.push({ ...area, slot, round }) - 1;
        steps.push({ pass: 'radixHist', perChunk: true, slot: at }, { pass: 'radixScan', perChunk: false, slot: at });
      }
    }
    steps.push({ pass: 'stageMask', perChunk: true, slot: mask });
  });
  return { slots, steps };
}
