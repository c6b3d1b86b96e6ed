import { minPThreshold } from '../reference/sampleMath';
import type { ThresholdWarper } from './warper';

/** Hugging Face MinPLogitsWarper (docs/algorithms.md#min-p): weights below ceil(minP · 2^31) go. */
export const minP: ThresholdWarper = {
  kind: 'threshold',
  param: { name: 'minP', label: 'Min-p', type: 'number', default: 0, min: 0, max: 1, help: 'Drop tokens less likely than minP × the top probability (after temperature). 0 = off. Sampling only.' },
  range: 'in [0, 1] (0 = off)',
  valid: (v) => v >= 0 && v <= 1,
  pack: minPThreshold,
};
