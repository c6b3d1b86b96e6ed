import type { StrategyInfo } from '../../protocol';
import { cntp } from './cntp';
import { contrastive } from './contrastive';
import { contrastiveSearch } from './contrastive-search';
import { grad } from './grad';
import { greedy } from './greedy';
import { sample } from './sample';
import { promptLookupDecoding } from './prompt-lookup';
import { speculative } from './speculative';
import type { DecodingStrategy } from './types';

/** Every strategy the decode loop can run, looked up by id. Greedy is the first entry. */
const strategies: DecodingStrategy[] = [greedy, sample, contrastive, contrastiveSearch, speculative, promptLookupDecoding, grad, cntp];

/** The strategy with this id, or undefined. */
export function getStrategy(id: string): DecodingStrategy | undefined {
  return strategies.find((s) => s.info.id === id);
}

/** Metadata of every registered strategy, in registry order. */
export function listStrategies(): StrategyInfo[] {
  return strategies.map((s) => s.info);
}
