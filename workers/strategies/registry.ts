import type { StrategyInfo } from '../protocol';
import { greedy } from './greedy';
import type { DecodingStrategy } from './types';

/** Every strategy the decode loop can run, looked up by id. Greedy is the first entry. */
const strategies: DecodingStrategy[] = [greedy];

/** The strategy with this id, or undefined. */
export function getStrategy(id: string): DecodingStrategy | undefined {
  return strategies.find((s) => s.info.id === id);
}

/** Metadata of every registered strategy, in registry order. */
export function listStrategies(): StrategyInfo[] {
  return strategies.map((s) => s.info);
}
