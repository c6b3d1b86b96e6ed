import type { ParamSchema, ParamValue } from '../../../protocol';
import { numberParam, stringParam } from '../../../workers/params';
import { MAX_CORPUS_CHARS, NO_CORPUS, SAMPLE_CORPORA } from '../../../workers/decode/corpus';
import { MAX_K } from '../../../kernels/limits';

/** Most drafts a panel may hold. */
export const MAX_DRAFTS = 8;

/** Everything a superposed decoding panel is configured with. */
export interface SuperposedSettings {
  /** Drafts k. */
  n: number;
  tokenSample: number;
  temperature: number;
  alpha: number;
  penalty: number;
  corpusName: string;
  corpus: string;
}

/** The corpus the n-gram model is counted over by default (stories, like the built-in model's). */
export const DEFAULT_NGRAM_CORPUS = 'pirate-tales';

/** The schema, with the released defaults (params/p15_d3_mixed.json): k = 3, 9 tokens, T = 0.06, α = 0.54, penalty 200. */
export function superposedParams(): ParamSchema[] {
  return [
    { name: 'n', label: 'Drafts k', type: 'integer', default: 3, min: 1, max: MAX_DRAFTS, help: 'Drafts decoded together from ONE batch-1 forward per step: the forward is fed the drafts’ last tokens superposed (embeddings weighted by the drafts’ probabilities).' },
    { name: 'tokenSample', label: 'Tokens kept', type: 'integer', default: 9, min: 1, max: MAX_K, help: 'The top tokens of the forward’s softmax(z / T) every draft may continue with (renormalised over them).' },
    { name: 'temperature', label: 'Temperature T', type: 'number', default: 0.06, min: 0.001, max: 10, help: 'Part of the method (0.06 released): a low T sharpens p̃ so the n-gram term decides among close tokens only.' },
    { name: 'alpha', label: 'n-gram weight α', type: 'number', default: 0.54, min: 0, max: 1, help: 's = (1 − α)·log p̃ + α·log g_d: the n-gram model of the corpus tells which draft each superposed token belongs to. 0 ignores the n-grams (k = 1 is then greedy).' },
    { name: 'penalty', label: 'No-support penalty', type: 'number', default: 200, min: 0, max: 10000, help: 'Subtracted from every score of a draft the n-grams support no kept token for (200 released).' },
    { name: 'corpusName', label: 'n-gram corpus', type: 'enum', default: DEFAULT_NGRAM_CORPUS, options: [NO_CORPUS, ...SAMPLE_CORPORA], help: 'A bundled text the n-gram model (orders 2…6) is counted over with the model’s tokenizer (none: only the pasted text).' },
    { name: 'corpus', label: 'n-gram text', type: 'text', default: '', maxLength: MAX_CORPUS_CHARS, help: 'Your own text, added to the bundled corpus. Blank lines separate passages (n-grams never cross one).' },
  ];
}

/** Read params into settings through the shared checker; errors name the parameter and the value. */
export function parseSuperposedSettings(p: Record<string, ParamValue>): SuperposedSettings {
  const schema = superposedParams();
  return {
    n: numberParam(schema, p, 'n'),
    tokenSample: numberParam(schema, p, 'tokenSample'),
    temperature: numberParam(schema, p, 'temperature'),
    alpha: numberParam(schema, p, 'alpha'),
    penalty: numberParam(schema, p, 'penalty'),
    corpusName: stringParam(schema, p, 'corpusName'),
    corpus: stringParam(schema, p, 'corpus'),
  };
}
