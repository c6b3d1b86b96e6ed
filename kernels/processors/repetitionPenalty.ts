import type { LogitProcessor } from './processor';

const MAX_PENALTY = 100;

/**
 * Hugging Face RepetitionPenaltyLogitsProcessor (CTRL, docs/algorithms.md#repetition-penalty): every id
 * already in the sequence (prompt included) has a positive logit × f32(1/θ), any other × f32(θ).
 * Applies to greedy too, and to the amateur row of a contrast.
 */
export const repetitionPenalty: LogitProcessor = {
  param: { name: 'repetitionPenalty', label: 'Repetition penalty', type: 'number', default: 1, min: 0, minExclusive: true, max: MAX_PENALTY, help: 'CTRL penalty θ on every token already in the sequence, prompt included: positive logits ÷ θ, negative × θ. 1 = off; must be > 0. Applies to greedy too.' },
  phase: 'input',
  samplingOnly: false,
  readsHistory: true,
  range: 'a finite number > 0',
  valid: (v) => v > 0 && Number.isFinite(v),
  isOff: (v) => v === 1,
  words: 2,
  pack: (v) => [Math.fround(1 / v), Math.fround(v)],
  cpu: (z, seen, w) => (seen ? Math.fround(z > 0 ? z * w[0]! : z * w[1]!) : z),
  wgsl: 'fn repetitionPenaltyStage(z: f32, seen: bool, w: vec4<f32>) -> f32 {\n  if (!seen) {\n    return z;\n  }\n  return nf(select(z * w.y, z * w.x, z > 0.0));\n}',
};
