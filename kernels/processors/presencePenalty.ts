import type { LogitProcessor } from './processor';

const MAX_PRESENCE = 2;

/**
 * Presence penalty as OpenAI's API and llama.cpp (`penalty_present`) define it
 * (docs/algorithms.md#presence-penalty): α is subtracted once from the logit of every id already in
 * the sequence (prompt included), however often it occurred. Applies to greedy too.
 */
export const presencePenalty: LogitProcessor = {
  param: { name: 'presencePenalty', label: 'Presence penalty', type: 'number', default: 0, min: -MAX_PRESENCE, max: MAX_PRESENCE, help: 'Subtract α from the logit of every token already in the sequence, prompt included (OpenAI / llama.cpp). 0 = off; negative values favour repeats. Applies to greedy too; after the repetition penalty.' },
  phase: 'input',
  samplingOnly: false,
  readsHistory: true,
  range: `a number in [${-MAX_PRESENCE}, ${MAX_PRESENCE}]`,
  valid: (v) => v >= -MAX_PRESENCE && v <= MAX_PRESENCE,
  isOff: (v) => v === 0,
  words: 1,
  pack: (v) => [Math.fround(v)],
  cpu: (z, seen, w) => (seen ? Math.fround(z - w[0]!) : z),
  wgsl: 'fn presencePenaltyStage(z: f32, seen: bool, w: vec4<f32>) -> f32 {\n  return select(z, z - w.x, seen);\n}',
};
