import { epsilonFixed, etaMargin } from '../reference/sampleMath';
import type { MassWarper } from './warper';

/**
 * Hugging Face EtaLogitsWarper (eta sampling, Hewitt et al. 2022; docs/algorithms.md#eta): drop the
 * tokens with p < η = min(ε, √ε · e^(−H)), H the entropy in nats of the kept set (the code's form,
 * not the docstring's √(ε · e^(−H))), never those at the largest kept logit. p ≥ η ⟺ p ≥ ε or
 * p ≥ √ε · e^(−H); on the integer weights the second is t′ ≤ h + c with t′ the exponent
 * −log2(w / 2^31) and h its weight-averaged value (both 2^-16 units, the log2 of the kept mass
 * cancels) and c = round(−2^15 · log2 ε): a mass threshold with an entropy margin.
 */
export const etaCutoff: MassWarper = {
  kind: 'mass',
  param: { name: 'etaCutoff', label: 'Eta', type: 'number', default: 0, min: 0, max: 1, maxExclusive: true, help: 'Eta sampling: drop the tokens whose probability is below min(ε, √ε · e^(−entropy)), an entropy-adaptive epsilon (the most likely token always stays). The paper suggests 3e-4 to 4e-3. 0 = off; must be < 1. Sampling only; after epsilon.' },
  range: 'in [0, 1) (0 = off)',
  valid: (v) => v >= 0 && v < 1,
  pack: epsilonFixed,
  margin: etaMargin,
};
