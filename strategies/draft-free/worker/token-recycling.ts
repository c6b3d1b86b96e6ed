import { chainParams } from '../../../workers/processors/chain';
import { numberParam } from '../../../workers/params';
import { runIteration } from '../../speculative/worker/iteration';
import type { DecodingStrategy } from '../../types';
import { RECYCLING_PARAMS } from './params';
import { oneHotParts } from '../../speculative/worker/parts';
import { RecyclingProposer } from './proposers';
import { RECYCLE_WIDTH, RecyclingMatrix, unigramRow } from './recycling-matrix';
import { RecordingVerifier, type ForwardRecorder } from './recording';

/** A recorder that writes A[u] ← top-8 of the raw row after u, for every processed position. */
export function matrixRecorder(matrix: RecyclingMatrix): ForwardRecorder {
  return (inputs, rows, vocab) => {
    matrix.size(vocab);
    rows.forEach((row, i) => {
      const u = inputs[i]!;
      if (u < vocab) matrix.update(u, row.topIds.slice(0, RECYCLE_WIDTH));
    });
  };
}

/**
 * Token Recycling (Luo et al., ACL 2025, https://arxiv.org/abs/2408.08696), chain form: drafts follow
 * an adjacency matrix of the target's own past top-8 candidates, A[u] = top-8 of the raw logits
 * where u was last the input (every verified position, rejected drafts and the prompt included,
 * written before acceptance). Verified like prompt lookup: greedy output equals target greedy;
 * sampled output is distributed as target sampling (docs/algorithms.md#token-recycling).
 */
export const tokenRecycling: DecodingStrategy = {
  info: {
    id: 'token-recycling',
    label: 'Token recycling',
    description:
      'Drafts a chain from a table of the target’s own earlier top-8 candidates (which token it ranked first after each token) and checks the chain in one target pass. No draft model; same output as the target alone.',
    needsDraft: false,
    interpretation: true,
    params: [...RECYCLING_PARAMS, ...chainParams()],
  },
  start(ctx) {
    const k = numberParam(RECYCLING_PARAMS, ctx.params, 'k');
    const eosIds = ctx.eosIds ?? [];
    const matrix = new RecyclingMatrix(unigramRow(ctx.target.ids));
    const record = matrixRecorder(matrix);
    const parts = oneHotParts({ ...ctx, eosIds }, 'token recycling', new RecyclingProposer(ctx.target, matrix, eosIds), (v) => new RecordingVerifier(v, record));
    return {
      async step() {
        return { tokens: (await runIteration(parts, k)).tokens };
      },
    };
  },
};
