import type { ParamSchema } from '../../../protocol';
import { LogitscopeError } from '../../../workers/errors';
import { numberParam } from '../../../workers/params';
import { chainParams, parseChain } from '../../../workers/processors/chain';
import { refuseMirostat } from '../../../workers/processors/mirostat';
import { SpeculationMetrics } from '../../speculative/worker/metrics';
import type { DecodingStrategy, StrategyContext, StrategyRun } from '../../types';
import { runMultiDraftIteration, type MdRunner, type MultiDraftParts } from './iteration';

/** Most chains per iteration. */
export const MAX_DRAFTS = 8;
/** Longest chain. */
export const MAX_CHAIN = 16;

/** The strategy's own parameters (docs/algorithms.md#multi-draft); the processor chain follows. */
export const MULTI_DRAFT_PARAMS: ParamSchema[] = [
  { name: 'drafts', label: 'Drafts (chains)', type: 'integer', default: 3, min: 1, max: MAX_DRAFTS, help: 'Distinct first tokens drawn from the draft without replacement (greedy: its top ones); each starts a chain. 1 = single-draft speculative decoding.' },
  { name: 'k', label: 'Chain length k', type: 'integer', default: 4, min: 1, max: MAX_CHAIN, help: 'Tokens per chain (the root token included); all chains are verified in one batched target pass.' },
];

function refuse(code: 'bad-request' | 'internal', message: string): StrategyRun {
  return { step: () => Promise.reject(new LogitscopeError(code, message)) };
}

/** A runner with the batched calls and a readable cache length (SequenceRunner is one), or null. */
function mdRunner(seq: unknown): MdRunner | null {
  const s = seq as Partial<MdRunner> | undefined;
  return s && typeof s.forwardBatch === 'function' && typeof s.tiledCache === 'function' && typeof s.adoptRow === 'function' && typeof s.cachedLength === 'number' ? (s as MdRunner) : null;
}

function start(ctx: StrategyContext): StrategyRun {
  if (!ctx.draft) return refuse('bad-request', 'multi-draft speculative decoding needs a draft model: choose one (e.g. builtin:stories-draft)');
  const target = mdRunner(ctx.capabilities?.batched ?? ctx.target);
  const draft = mdRunner(ctx.draftCapabilities?.batched ?? ctx.draft);
  if (!target || !draft) return refuse('internal', 'multi-draft speculative decoding needs batched forwards and tiled KV caches on both models');
  const chain = parseChain(ctx.params);
  try {
    refuseMirostat(chain, 'multi-draft speculative decoding', 'verification needs a fixed distribution per position');
  } catch (e) {
    return { step: () => Promise.reject(e) };
  }
  const drafts = numberParam(MULTI_DRAFT_PARAMS, ctx.params, 'drafts');
  const k = numberParam(MULTI_DRAFT_PARAMS, ctx.params, 'k');
  if (!Number.isInteger(drafts) || drafts < 1 || drafts > MAX_DRAFTS) return refuse('bad-request', `drafts must be an integer from 1 to ${MAX_DRAFTS}, got ${drafts}`);
  if (!Number.isInteger(k) || k < 1 || k > MAX_CHAIN) return refuse('bad-request', `k must be an integer from 1 to ${MAX_CHAIN}, got ${k}`);
  const parts: MultiDraftParts = { target, draft, chain, rng: ctx.rng, topK: ctx.topK, eosIds: ctx.eosIds ?? [], drafts, k, metrics: new SpeculationMetrics(), textAfter: ctx.textAfter, stop: ctx.stop };
  return {
    async step() {
      const result = await runMultiDraftIteration(parts);
      return { tokens: result.tokens };
    },
  };
}

/**
 * Multi-draft speculative decoding, k-chain recursive speculative decoding (Jeon et al. 2024,
 * https://arxiv.org/abs/2402.14160): `drafts` distinct first tokens from the draft, each extended to a
 * chain of k tokens, all verified in ONE batched target pass; recursive rejection over the roots, then
 * single-draft verification on the accepted chain. Greedy output equals target greedy; sampled output
 * is distributed as target sampling with the same processor chain.
 */
export const multiDraft: DecodingStrategy = {
  info: {
    id: 'multi-draft',
    label: 'Multi-draft speculative (RSD)',
    description:
      'The draft proposes several chains that start with different first tokens; the target checks all of them in one batched pass, tries the first tokens one after another (recursive rejection without replacement), and keeps the agreeing prefix of the accepted chain plus one token of its own. Same output (greedy) or same distribution (sampling) as the target alone.',
    needsDraft: true,
    interpretation: false,
    params: [...MULTI_DRAFT_PARAMS, ...chainParams()],
  },
  start,
};
