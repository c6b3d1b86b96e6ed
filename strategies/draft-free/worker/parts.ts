import type { ParamValue } from '../../../protocol';
import type { TokenSequence } from '../../../workers/decode/sequence';
import { changesGreedyLogits, isSampling, parseChain } from '../../../workers/processors/chain';
import { refuseMirostat } from '../../../workers/processors/mirostat';
import type { Rng } from '../../../workers/rng';
import { GreedyVerifier } from '../../speculative/worker/greedy-verifier';
import type { IterationParts } from '../../speculative/worker/iteration';
import { SpeculationMetrics } from '../../speculative/worker/metrics';
import { ProcessedVerifier } from '../../speculative/worker/processed-verifier';
import type { Proposer, Verifier } from '../../speculative/worker/types';

/** What a draft-free strategy gets from its StrategyContext. */
export interface DraftFreeInput {
  params: Record<string, ParamValue>;
  target: TokenSequence;
  draft: TokenSequence | null;
  rng: Rng;
  topK: number;
  eosIds: readonly number[];
  textAfter?: (context: readonly number[], id: number) => string;
}

/**
 * Propose / verify parts with a model-free proposer (one-hot q), verified exactly like prompt lookup:
 * plain greedy from the row summaries, any other chain through the fused processor chain (sampling:
 * accept d_i with probability p_i(d_i), on rejection draw from p_i without d_i). `wrap` may wrap the
 * verifier (token recycling records its forwards).
 */
export function draftFreeParts(input: DraftFreeInput, name: string, proposer: Proposer, wrap: (v: Verifier) => Verifier = (v) => v): IterationParts {
  const chain = parseChain(input.params);
  refuseMirostat(chain, name, 'verification needs a fixed distribution per position');
  const plain = !isSampling(chain) && !changesGreedyLogits(chain);
  return {
    target: input.target,
    draft: input.draft,
    proposer,
    verifier: wrap(plain ? new GreedyVerifier(input.topK) : new ProcessedVerifier(chain, input.rng, input.topK)),
    eosIds: input.eosIds,
    metrics: new SpeculationMetrics(),
    textAfter: input.textAfter,
  };
}
