import { epsilonCutoff } from './epsilon';
import { etaCutoff } from './eta';
import { minP } from './minP';
import { topK } from './topK';
import { topP } from './topP';
import { typicalP } from './typicalP';
import type { Warper } from './warper';

/** The warpers in Hugging Face's order (docs/algorithms.md#processor-chain); add a warper here. */
export const WARPERS: readonly Warper[] = [topK, topP, minP, typicalP, epsilonCutoff, etaCutoff];
