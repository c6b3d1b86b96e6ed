import type { RankWarper } from './warper';

const MAX_TOP_K = 1 << 24;

/** Hugging Face TopKLogitsWarper (docs/algorithms.md#top-k): a rank filter, ties with the k-th kept. */
export const topK: RankWarper = {
  kind: 'rank',
  param: { name: 'topK', label: 'Top-k', type: 'integer', default: 0, min: 0, max: MAX_TOP_K, help: 'Keep the k most likely tokens (ties with the k-th are kept). 0 = off. Sampling only.' },
  range: `an integer in [0, ${MAX_TOP_K}] (0 = off)`,
  valid: (v) => Number.isInteger(v) && v >= 0 && v <= MAX_TOP_K,
  pack: (k) => k,
};
