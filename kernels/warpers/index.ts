import { epsilonCutoff } from './epsilon';
import { etaCutoff } from './eta';
import { minP } from './minP';
import { topK } from './topK';
import { topP } from './topP';
import { typicalP } from './typicalP';
import type { WarpSpec } from '../types';
import type { Warper } from './warper';

/** The warpers in Hugging Face's order (docs/algorithms.md#processor-chain); add a warper here. */
export const WARPERS: readonly Warper[] = [topK, topP, minP, typicalP, epsilonCutoff, etaCutoff];

/** Every warper's parameter at its off value (what a chain that samples with no truncation passes). */
export function warpersOff(): WarpSpec {
  return Object.fromEntries(WARPERS.map((w) => [w.param.name, w.param.default])) as WarpSpec;
}
