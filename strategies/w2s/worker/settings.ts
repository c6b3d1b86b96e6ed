import type { ParamSchema, ParamValue } from '../../../protocol';
import { chainParams, parseChain, type ChainParams } from '../../../workers/processors/chain';
import { numberParam, stringParam } from '../../../workers/params';
import { LogitscopeError } from '../../../workers/errors';

/** Longest expert prefix accepted, in characters. */
export const MAX_EXPERT_PREFIX = 4000;

/** Grid step of the α search. */
export const ALPHA_STEP = 0.1;

/** The expert context the built-in pair starts with: a pirate passage in the TinyStories style. */
export const DEFAULT_EXPERT_PREFIX =
  'Tom was a brave pirate. He sailed his big ship on the blue sea with his parrot. Every day Tom looked for gold and treasure on the islands. He loved the sea and the waves.';

/** The strategy's own parameters (docs/algorithms.md#w2s); the processor chain follows. */
export const W2S_PARAMS: ParamSchema[] = [
  { name: 'alpha', label: 'Fusion weight α', type: 'number', default: -1, min: -1, max: 3, help: '−1 = dynamic: per token the α of the grid whose KL(fused ‖ large) is closest to KL(expert ‖ small). Any value in [0, 3] = that fixed α (static proxy tuning; 1 is the paper’s static baseline). Values between −1 and 0 are refused.' },
  { name: 'alphaMax', label: 'Largest α of the grid', type: 'number', default: 2, min: 0, max: 3, help: 'The dynamic search tries α ∈ {0, 0.1, …, alphaMax}. 0 = the large model alone.' },
  { name: 'expertPrefix', label: 'Expert context', type: 'text', default: DEFAULT_EXPERT_PREFIX, maxLength: MAX_EXPERT_PREFIX, help: 'Our stand-in for a tuned small expert: the small (draft) model reading this text before the prompt is the expert E. Empty = E is the small model itself (Δ = 0: the large model’s own decoding).' },
];

/** Everything a weak-to-strong panel is configured with. */
export interface W2sSettings {
  /** The α values tried per token, ascending, the first 0; a fixed α gives [0, α] (or [0]). */
  grid: number[];
  dynamic: boolean;
  expertPrefix: string;
  chain: ChainParams;
}

/** The α grid {0, 0.1, …, alphaMax}: j/10 for j = 0 … ⌊10·alphaMax⌋. */
export function alphaGrid(alphaMax: number): number[] {
  const n = Math.floor(alphaMax / ALPHA_STEP + 1e-9);
  return Array.from({ length: n + 1 }, (_, j) => j / 10);
}

/** The panel's settings, checked: errors name the parameter and the value. */
export function parseW2sSettings(params: Record<string, ParamValue>): W2sSettings {
  const alpha = numberParam(W2S_PARAMS, params, 'alpha');
  const alphaMax = numberParam(W2S_PARAMS, params, 'alphaMax');
  if (alpha !== -1 && alpha < 0) throw new LogitscopeError('bad-request', `alpha must be −1 (dynamic) or a fixed α in [0, 3], got ${alpha}`);
  const dynamic = alpha === -1;
  return {
    grid: dynamic ? alphaGrid(alphaMax) : alpha === 0 ? [0] : [0, alpha],
    dynamic,
    expertPrefix: stringParam(W2S_PARAMS, params, 'expertPrefix'),
    chain: parseChain(params),
  };
}

/** The schema: the fusion's own parameters, then the whole processor chain. */
export function w2sParams(): ParamSchema[] {
  return [...W2S_PARAMS, ...chainParams()];
}

/**
 * The index of the grid α whose KL(F(α) ‖ L) is closest to κ: argmin_j |kls[j] − κ|, ties to the
 * smaller α (the grid is ascending, so the first minimum).
 */
export function chooseAlpha(kls: readonly number[], kappa: number): number {
  let best = 0;
  let gap = Infinity;
  kls.forEach((kl, j) => {
    const g = Math.abs(kl - kappa);
    if (g < gap) {
      gap = g;
      best = j;
    }
  });
  return best;
}
