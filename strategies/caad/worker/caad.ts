import { LogitscopeError } from '../../../workers/errors';
import { loadSampleCorpus, splitPassages } from '../../../workers/decode/corpus';
import { SequenceRunner } from '../../../workers/decode/sequence';
import type { DecodingStrategy } from '../../types';
import { CaadRun, type CaadTokenizer, type ReferenceSource } from './caad-run';
import { RunnerCaadModel } from './runner-model';
import { caadParams, parseCaadSettings } from './settings';
import { referenceStores } from './store-cache';

/** The bundled corpus fetched from `origin`, then the pasted references. */
export function siteReferences(origin: string): ReferenceSource {
  return async (s) => [...(await loadSampleCorpus(s.corpusName, origin)), ...splitPassages(s.corpus)];
}

/**
 * CAAD / RAD, retrieval-based logit shaping (Nguyen, Gupta, Le 2025, https://arxiv.org/abs/2508.02184):
 * a store of (normalised hidden state, next-token log-probabilities) pairs teacher-forced over
 * reference texts; each step retrieves the nearest stored positions and adds
 * λ·g·(r − mean_top64 r) to the logits. Aggregation, gate and value mixing are our interpretation.
 */
export const caad: DecodingStrategy = {
  info: {
    id: 'caad',
    label: 'CAAD / RAD retrieval',
    description:
      'Retrieval-augmented decoding: the hidden state of each step is matched against positions of reference texts (bundled or pasted), and the next-token distributions stored there shift the logits, more so the closer the match (aggregation and gate are our interpretation).',
    needsDraft: false,
    interpretation: true,
    params: caadParams(),
  },
  start(ctx) {
    const settings = parseCaadSettings(ctx.params);
    const runner = ctx.capabilities?.batched;
    if (!(runner instanceof SequenceRunner)) return { step: () => Promise.reject(new LogitscopeError('internal', 'CAAD needs a model runner (hidden states and forwards beside the sequence)')) };
    let model: RunnerCaadModel;
    try {
      model = new RunnerCaadModel(runner);
    } catch (e) {
      return { step: () => Promise.reject(e instanceof Error ? e : new Error(String(e))) };
    }
    const tok = runner.model.tokenizer;
    const tokenizer: CaadTokenizer = {
      encode: (text) => tok.encode(text, false),
      decode: (ids) => tok.decode(ids.filter((id) => id !== tok.bosId)),
    };
    return new CaadRun(ctx.target, model, settings, tokenizer, siteReferences(self.location.origin), ctx.rng, ctx.topK, ctx.textAfter, { stores: referenceStores, model: runner.model });
  },
};
