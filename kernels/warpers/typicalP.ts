import { MASS_FRACTION, type PrefixWarper } from './warper';

/**
 * Hugging Face TypicalLogitsWarper (locally typical sampling, docs/algorithms.md#typical-p): a
 * prefix filter ordered by |t − h|, t = −log2(w / 2^31) and h its weight-averaged value over the
 * kept set (2^-16 units). Both are the surprisal and the entropy in bits shifted by the same
 * log2 of the kept mass, so |t − h| is HF's |−log p − H| (in bits).
 */
export const typicalP: PrefixWarper = {
  kind: 'prefix',
  param: { name: 'typicalP', label: 'Typical-p', type: 'number', default: 1, min: 0, minExclusive: true, max: 1, help: 'Locally typical sampling: keep the tokens whose surprisal is closest to the entropy until their probability reaches p (the crossing token is kept). 1 = off; must be > 0. Sampling only; after min-p.' },
  ...MASS_FRACTION,
  usesEntropy: true,
  keyCpu: (_w, t, h) => Math.abs(t - h),
  keyWgsl: 'fn typicalPKey(w: u32, t: u32, h: u32) -> u32 {\n  return select(h - t, t - h, t >= h);\n}',
};
