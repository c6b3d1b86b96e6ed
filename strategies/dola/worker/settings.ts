import type { ParamSchema, ParamValue } from '../../../protocol';
import { chainParams, parseChain, type ChainParams } from '../../../workers/processors/chain';
import { numberParam, stringParam } from '../../../workers/params';

/** Everything a DoLa panel is configured with. */
export interface DolaSettings {
  /** "low", "high" or a list of layer numbers (workers: candidateLayers). */
  layers: string;
  /** Plausibility α of the adaptive constraint (relative top), in (0, 1]. */
  alpha: number;
  /** The processor chain: greedy with repetition penalty 1.2 by default, as the paper recommends. */
  chain: ChainParams;
}

/** DoLa's own parameters, then the chain with repetitionPenalty 1.2. */
export function dolaParams(): ParamSchema[] {
  return [
    { name: 'layers', label: 'Premature layers', type: 'text', default: 'high', maxLength: 200, help: 'Candidate layers J: high (upper half, every 2nd), low (lower half from layer 2 with a tied LM head) or a list like 0,2,4. Per token the one whose lens differs most from the output is contrasted.' },
    { name: 'alpha', label: 'Plausibility α', type: 'number', default: 0.1, min: 0, minExclusive: true, max: 1, help: 'Adaptive plausibility constraint: only tokens with p_output ≥ α · max p_output can be chosen; must be > 0. 1 keeps only the output layer’s argmax.' },
    ...chainParams({ repetitionPenalty: 1.2 }),
  ];
}

/** Read params into settings through the shared checker; errors name the parameter and the value. */
export function parseDolaSettings(p: Record<string, ParamValue>): DolaSettings {
  const schema = dolaParams();
  return { layers: stringParam(schema, p, 'layers'), alpha: numberParam(schema, p, 'alpha'), chain: parseChain(p) };
}
