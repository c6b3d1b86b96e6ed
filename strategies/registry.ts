import type { StrategyInfo } from '../protocol';
import { beam } from './beam/worker/beam';
import { caad } from './caad/worker/caad';
import { cntp } from './cntp/worker/cntp';
import { contrastive } from './contrastive/worker/contrastive';
import { contrastiveSearch } from './contrastive/worker/contrastive-search';
import { dola } from './dola/worker/dola';
import { ead } from './ead/worker/ead';
import { grad } from './grad/worker/grad';
import { ngram } from './ngram/worker/ngram';
import { greedy } from './base/worker/greedy';
import { sample } from './base/worker/sample';
import { promptLookupDecoding } from './speculative/worker/prompt-lookup';
import { speculative } from './speculative/worker/speculative';
import { w2s } from './w2s/worker/w2s';
import { smc } from './smc/worker/smc';
import { grammar } from './grammar/worker/grammar';
import { tokenRecycling } from './draft-free/worker/token-recycling';
import { aded } from './draft-free/worker/aded';
import { multiDraft } from './multi-draft/worker/multi-draft';
import { superposed } from './superposed/worker/superposed';
import type { DecodingStrategy } from './types';

/** Every strategy the decode loop can run, looked up by id. Greedy is the first entry. */
const strategies: DecodingStrategy[] = [greedy, sample, contrastive, contrastiveSearch, speculative, promptLookupDecoding, grad, cntp, ead, ngram, caad, w2s, beam, dola, multiDraft, tokenRecycling, aded, smc, superposed, grammar];

/** The strategy with this id, or undefined. */
export function getStrategy(id: string): DecodingStrategy | undefined {
  return strategies.find((s) => s.info.id === id);
}

/** Metadata of every registered strategy, in registry order. */
export function listStrategies(): StrategyInfo[] {
  return strategies.map((s) => s.info);
}
