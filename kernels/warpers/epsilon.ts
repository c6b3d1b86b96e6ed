import { epsilonFixed } from '../reference/sampleMath';
import type { MassWarper } from './warper';

/**
 * Hugging Face EpsilonLogitsWarper (epsilon sampling, Hewitt et al. 2022; docs/algorithms.md#epsilon):
 * drop the tokens with p < ε (p the softmax over the kept set), never those at the largest kept
 * logit. A mass threshold: w ≥ ⌈W · εq / 2^32⌉, εq = round(ε · 2^32).
 */
export const epsilonCutoff: MassWarper = {
  kind: 'mass',
  param: { name: 'epsilonCutoff', label: 'Epsilon', type: 'number', default: 0, min: 0, max: 1, maxExclusive: true, help: 'Epsilon sampling: drop the tokens whose probability is below ε (the most likely token always stays). The paper suggests 3e-4 to 9e-4. 0 = off; must be < 1. Sampling only; after typical-p.' },
  range: 'in [0, 1) (0 = off)',
  valid: (v) => v >= 0 && v < 1,
  pack: epsilonFixed,
};
