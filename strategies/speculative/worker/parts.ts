import type { TokenSequence } from '../../../workers/decode/sequence';
import type { ParamValue } from '../../../protocol';
import { changesGreedyLogits, isSampling, parseChain, type ChainParams } from '../../../workers/processors/chain';
import { refuseMirostat } from '../../../workers/processors/mirostat';
import type { Rng } from '../../../workers/rng';
import { GreedyDraftProposer } from './draft-proposer';
import { GreedyVerifier } from './greedy-verifier';
import type { IterationParts } from './iteration';
import { SpeculationMetrics } from './metrics';
import { NgramProposer } from './ngram-proposer';
import { ProcessedDraftProposer } from './processed-draft';
import { ProcessedVerifier } from './processed-verifier';
import type { Proposer, Verifier } from './types';

/** What a speculative strategy gets from its StrategyContext. */
export interface PartsInput {
  params: Record<string, ParamValue>;
  target: TokenSequence;
  draft: TokenSequence | null;
  rng: Rng;
  topK: number;
  eosIds: readonly number[];
  textAfter?: (context: readonly number[], id: number) => string;
}

/**
 * Plain greedy (temperature 0, no repetition or presence penalty) takes the readout-only path: argmax from the
 * row summaries, one readback per forward. Any other chain goes through the fused processor chain.
 */
function isPlainGreedy(chain: ChainParams): boolean {
  return !isSampling(chain) && !changesGreedyLogits(chain);
}

/** Propose / verify parts of speculative decoding with the request's draft model as proposer. */
export function draftModelParts(input: PartsInput, draft: TokenSequence): IterationParts {
  const chain = parseChain(input.params);
  refuseMirostat(chain, 'speculative decoding', 'verification needs a fixed distribution per position');
  const plain = isPlainGreedy(chain);
  return {
    target: input.target,
    draft,
    proposer: plain ? new GreedyDraftProposer(draft, input.eosIds) : new ProcessedDraftProposer(draft, chain, input.rng, input.eosIds),
    verifier: plain ? new GreedyVerifier(input.topK) : new ProcessedVerifier(chain, input.rng, input.topK),
    eosIds: input.eosIds,
    metrics: new SpeculationMetrics(),
    textAfter: input.textAfter,
  };
}

/**
 * Propose / verify parts with a model-free proposer (one-hot q: prompt lookup, token recycling, ADED),
 * verified like prompt lookup: plain greedy from the row summaries, any other chain through the fused
 * processor chain (sampling: accept d_i with probability p_i(d_i), on rejection draw from p_i without
 * d_i). `name` labels the Mirostat refusal; `wrap` may wrap the verifier (token recycling records its
 * forwards).
 */
export function oneHotParts(input: PartsInput, name: string, proposer: Proposer, wrap: (v: Verifier) => Verifier = (v) => v): IterationParts {
  const chain = parseChain(input.params);
  refuseMirostat(chain, name, 'verification needs a fixed distribution per position');
  return {
    target: input.target,
    draft: input.draft,
    proposer,
    verifier: wrap(isPlainGreedy(chain) ? new GreedyVerifier(input.topK) : new ProcessedVerifier(chain, input.rng, input.topK)),
    eosIds: input.eosIds,
    metrics: new SpeculationMetrics(),
    textAfter: input.textAfter,
  };
}

/** Propose / verify parts of prompt-lookup decoding (n-gram proposer, one-hot q). */
export function ngramParts(input: PartsInput, maxNgram: number): IterationParts {
  return oneHotParts(input, 'prompt-lookup decoding', new NgramProposer(input.target, maxNgram, input.eosIds));
}
