import { runLoop, type PanelJob } from '../../workers/decode/loop';
import type { ParamValue } from '../../protocol';
import { Rng } from '../../workers/rng';
import type { DecodingStrategy, StrategyRun } from '../../strategies/types';
import type { FakeRunner } from './fake-model';

/** Detokenizer for small vocabularies: one letter per id. */
export const letters = { decode: (ids: number[]) => ids.map((i) => String.fromCharCode(97 + (i % 26))).join('') };

/** A panel job over fake runners (the loop's view). */
export function fakeJob(strategy: DecodingStrategy, params: Record<string, ParamValue>, target: FakeRunner, draft: FakeRunner | null, eosIds: number[] = [], seed = 1): PanelJob {
  const run: StrategyRun = strategy.start({ params, target, draft, rng: new Rng(seed), topK: 10, eosIds });
  return {
    run,
    target,
    draft,
    readouts: [],
    promptIds: [...target.ids],
    generated: [],
    record: { strategy: strategy.info.id, params, text: '', tokens: [], stats: { newTokens: 0, targetForwards: 0, draftForwards: 0, wallMs: 0, tokensPerSecond: 0, readbackBytes: 0, finishReason: null, timeToFirstTokenMs: null } },
  };
}

/** Run the real decode loop over one job until its budget or EOS. */
export async function decode(job: PanelJob, maxNewTokens: number, eosIds: number[] = []): Promise<PanelJob> {
  await runLoop({ jobs: [job], maxNewTokens, tokenizer: letters, eosIds, interrupted: () => false, emit: () => undefined, isFatal: () => false });
  if (job.record.error) throw new Error(job.record.error);
  return job;
}

/** Annotation field of a token record, typed loosely for assertions. */
export function ann<T = unknown>(a: Record<string, unknown>, key: string): T {
  return a[key] as T;
}
