import { chainParams, parseChain, type ChainParams } from '../../../workers/processors/chain';
import type { ParamSchema, ParamValue } from '../../../protocol';
import { numberParam, stringParam } from '../../../workers/params';
import { MAX_CORPUS_CHARS, NO_CORPUS, SAMPLE_CORPORA } from '../../../workers/decode/corpus';
import { MAX_ORDER } from './ngram-model';

/** Everything an n-gram injection panel is configured with. */
export interface NgramSettings {
  /** Highest n-gram order, 1…3. */
  n: number;
  /** Weight λ of the style term. */
  lambda: number;
  /** Add-k smoothing k. */
  smoothing: number;
  /** Bundled corpus name, or NO_CORPUS. */
  corpusName: string;
  /** Pasted style text, possibly empty. */
  corpus: string;
  /** The processor chain (greedy by default; temperature > 0 samples). */
  chain: ChainParams;
}

/** The bundled corpus n-gram injection starts with. */
export const DEFAULT_STYLE_CORPUS = 'pirate-tales';

/** The schema: λ = 1.5, trigrams, k = 0.1, the pirate tales; then the whole processor chain. */
export function ngramParams(): ParamSchema[] {
  return [
    { name: 'lambda', label: 'Style weight λ', type: 'number', default: 1.5, min: 0, max: 100, help: 'z′ = z + λ·log P_style. 0 is the model alone; fluency collapses as λ grows (the built-in stories model repeats itself from about 3; the paper’s best for large models: 0.1).' },
    { name: 'n', label: 'Order n', type: 'integer', default: 3, min: 1, max: MAX_ORDER, help: 'Highest n-gram order: 1 (token frequencies), 2 (bigrams) or 3 (trigrams), interpolated 0.2 / 0.3 / 0.5 over the orders whose context the corpus holds.' },
    { name: 'smoothing', label: 'Add-k smoothing', type: 'number', default: 0.1, min: 0.0001, max: 10, help: 'k added to every count of every order, so unseen tokens keep a small style probability.' },
    { name: 'corpusName', label: 'Style corpus', type: 'enum', default: DEFAULT_STYLE_CORPUS, options: [NO_CORPUS, ...SAMPLE_CORPORA], help: 'A bundled text whose n-grams form the style prior (none: only the pasted text).' },
    { name: 'corpus', label: 'Style text', type: 'text', default: '', maxLength: MAX_CORPUS_CHARS, help: 'Your own text in the style to imitate; added to the bundled corpus. Blank lines separate passages (n-grams never cross one).' },
    ...chainParams(),
  ];
}

/** Read params into settings through the shared checker; errors name the parameter and the value. */
export function parseNgramSettings(p: Record<string, ParamValue>): NgramSettings {
  const schema = ngramParams();
  return {
    n: numberParam(schema, p, 'n'),
    lambda: numberParam(schema, p, 'lambda'),
    smoothing: numberParam(schema, p, 'smoothing'),
    corpusName: stringParam(schema, p, 'corpusName'),
    corpus: stringParam(schema, p, 'corpus'),
    chain: parseChain(p),
  };
}
