import type { LogitProcessor } from './processor';

const MAX_TEMPERATURE = 100;

/**
 * Hugging Face TemperatureLogitsWarper (docs/algorithms.md#temperature): logits × f32(1/T), after the
 * strategy terms, only when sampling (a temperature below GREEDY_TEMPERATURE means greedy, and the
 * stage is then left out).
 */
export const temperature: LogitProcessor = {
  param: { name: 'temperature', label: 'Temperature', type: 'number', default: 0, min: 0, max: MAX_TEMPERATURE, help: 'Divide the logits by T before sampling. 0 (or below 1e-5) = greedy: the warpers below are then ignored, as in Hugging Face.' },
  phase: 'output',
  samplingOnly: true,
  readsHistory: false,
  range: 'a finite number > 0',
  valid: (v) => v > 0 && Number.isFinite(v),
  isOff: () => false,
  words: 1,
  pack: (v) => [Math.fround(1 / v)],
  cpu: (z, _seen, w) => Math.fround(z * w[0]!),
  wgsl: 'fn temperatureStage(z: f32, seen: bool, w: vec4<f32>) -> f32 {\n  return nf(z) * w.x;\n}',
  shift: (d, w) => d * w[0]!,
};
