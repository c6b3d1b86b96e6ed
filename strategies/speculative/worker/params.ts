import type { ParamSchema, ParamValue } from '../../../protocol';
import { stringParam } from '../../../workers/params';
import { MAX_SCHEDULED_K, SCHEDULES, type ScheduleKind } from './schedule';

/** Largest prompt-lookup draft length (tokens). */
export const MAX_LOOKUP_TOKENS = 32;

/** Speculative decoding's own parameters (the processor chain's are added beside them). */
export const SPECULATIVE_PARAMS: ParamSchema[] = [
  { name: 'k', label: 'Draft length k', type: 'integer', default: 4, min: 1, max: 16, help: 'Tokens the draft model proposes per iteration (the starting value under the heuristic schedule).' },
  {
    name: 'schedule',
    label: 'Draft-length schedule',
    type: 'enum',
    default: 'constant',
    options: [...SCHEDULES],
    help: `constant keeps k; heuristic (HF) adds 2 after an all-accepted iteration and subtracts 1 otherwise (never below 1, at most ${MAX_SCHEDULED_K}).`,
  },
];

/** Prompt-lookup decoding's own parameters. */
export const LOOKUP_PARAMS: ParamSchema[] = [
  { name: 'k', label: 'Draft tokens', type: 'integer', default: 10, min: 1, max: MAX_LOOKUP_TOKENS, help: 'Tokens copied after the matched n-gram (HF prompt_lookup_num_tokens).' },
  { name: 'ngram', label: 'Max n-gram', type: 'integer', default: 2, min: 1, max: 8, help: 'Longest n-gram matched against the earlier text; shorter ones are tried down to 1 (HF max_matching_ngram_size).' },
];

/** The schedule parameter, read through the shared checker. */
export function scheduleParam(params: Record<string, ParamValue>): ScheduleKind {
  const v = stringParam(SPECULATIVE_PARAMS, params, 'schedule');
  return SCHEDULES.find((s) => s === v)!;
}
