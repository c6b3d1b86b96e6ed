import type { LogitProcessor } from './processor';
import { presencePenalty } from './presencePenalty';
import { repetitionPenalty } from './repetitionPenalty';
import { temperature } from './temperature';

/**
 * The logit processors in Hugging Face's order (docs/algorithms.md#processor-chain); add a processor
 * here. Each phase runs its members in this order.
 */
export const PROCESSORS: readonly LogitProcessor[] = [repetitionPenalty, presencePenalty, temperature];

/** f32 uniform words the fusion reserves for the processors (Params.pw, kernels/wgsl/sampleParams.wgsl). */
export const PROCESSOR_WORDS = 4;
