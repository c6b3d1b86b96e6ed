import { chainParams, parseChain, type ChainParams } from '../../../workers/processors/chain';
import type { ParamSchema, ParamValue } from '../../../protocol';
import { numberParam, stringParam } from '../../../workers/params';
import { MAX_CORPUS_CHARS, NO_CORPUS, SAMPLE_CORPORA } from '../../../workers/decode/corpus';

/** Everything a CAAD panel is configured with. */
export interface CaadSettings {
  /** Weight λ of the retrieval term. */
  lambda: number;
  /** N, neighbours retrieved per step. */
  neighbours: number;
  /** σ_min: neighbours below this cosine are dropped. */
  minSimilarity: number;
  /** T_r of the neighbour weights softmax(cos / T_r). */
  temperature: number;
  /** μ: mass of the reference's own next token in a stored value (0: the model's log-probs alone). */
  answerWeight: number;
  /** Bundled corpus name, or NO_CORPUS. */
  corpusName: string;
  /** Pasted references, possibly empty. */
  corpus: string;
  /** The processor chain (greedy by default; chain temperature > 0 samples). */
  chain: ChainParams;
}

/** The bundled corpus CAAD starts with (stories, which the built-in stories model can match). */
export const DEFAULT_REFERENCE_CORPUS = 'pirate-tales';

/**
 * The schema: λ = 1, N = 8, σ_min = 0.6, T_r = 0.1 (ALGORITHMS §6.9), μ = 0.9 (ours), the pirate
 * tales; then the whole processor chain. The retrieval temperature is `retrievalTemperature`: the
 * chain already owns `temperature`.
 */
export function caadParams(): ParamSchema[] {
  return [
    { name: 'lambda', label: 'Retrieval weight λ', type: 'number', default: 1, min: 0, max: 100, help: 'z′ = z + λ·g·(r − mean_top64 r). 0 is the model alone.' },
    { name: 'neighbours', label: 'Neighbours N', type: 'integer', default: 8, min: 1, max: 64, help: 'Reference positions retrieved per step (brute-force cosine over every stored position).' },
    { name: 'minSimilarity', label: 'Min. similarity σ_min', type: 'number', default: 0.6, min: -1, max: 2, help: 'Neighbours with a lower cosine are dropped; none left: the model alone at this step (above 1 nothing is ever kept).' },
    { name: 'retrievalTemperature', label: 'Retrieval temperature T_r', type: 'number', default: 0.1, min: 0.001, max: 10, help: 'Neighbour weights a_j = softmax(cos_j / T_r): small values trust the closest match alone.' },
    { name: 'answerWeight', label: 'Reference-token weight μ', type: 'number', default: 0.9, min: 0, max: 0.99, help: 'Stored value = log(μ·[v = the reference’s next token] + (1 − μ)·p_model(v)). 0 stores the model’s own log-probabilities alone (the paper’s next-token logits); our default lets the references’ text lead.' },
    { name: 'corpusName', label: 'Reference corpus', type: 'enum', default: DEFAULT_REFERENCE_CORPUS, options: [NO_CORPUS, ...SAMPLE_CORPORA], help: 'A bundled text whose passages become the references (none: only the pasted text).' },
    { name: 'corpus', label: 'References', type: 'text', default: '', maxLength: MAX_CORPUS_CHARS, help: 'Your own reference texts (e.g. prompt + truthful answer), added to the bundled corpus. Blank lines separate references.' },
    ...chainParams(),
  ];
}

/** Read params into settings through the shared checker; errors name the parameter and the value. */
export function parseCaadSettings(p: Record<string, ParamValue>): CaadSettings {
  const schema = caadParams();
  return {
    lambda: numberParam(schema, p, 'lambda'),
    neighbours: numberParam(schema, p, 'neighbours'),
    minSimilarity: numberParam(schema, p, 'minSimilarity'),
    temperature: numberParam(schema, p, 'retrievalTemperature'),
    answerWeight: numberParam(schema, p, 'answerWeight'),
    corpusName: stringParam(schema, p, 'corpusName'),
    corpus: stringParam(schema, p, 'corpus'),
    chain: parseChain(p),
  };
}
