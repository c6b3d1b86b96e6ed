import { MASS_FRACTION, type PrefixWarper } from './warper';

/**
 * Hugging Face TopPLogitsWarper (docs/algorithms.md#top-p): a prefix filter in the order weight
 * descending, i.e. key ~w ascending.
 */
export const topP: PrefixWarper = {
  kind: 'prefix',
  param: { name: 'topP', label: 'Top-p', type: 'number', default: 1, min: 0, minExclusive: true, max: 1, help: 'Keep the smallest set of most likely tokens whose probability reaches p (the crossing token is kept). 1 = off; must be > 0. Sampling only.' },
  ...MASS_FRACTION,
  usesEntropy: false,
  keyCpu: (w) => 0xffffffff - w,
  keyWgsl: 'fn topPKey(w: u32, t: u32, h: u32) -> u32 {\n  return ~w;\n}',
};
