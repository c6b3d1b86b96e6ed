import { LogitscopeError } from '../../../workers/errors';
import { chainParams, GREEDY_PROCESSORS, parseChain, type ChainParams } from '../../../workers/processors/chain';
import type { ParamSchema, ParamValue } from '../../../protocol';
import { numberParam, stringParam } from '../../../workers/params';
import { MAX_CORPUS_CHARS, NO_CORPUS, SAMPLE_CORPORA } from '../../../workers/decode/corpus';
import { GRAD_VARIANTS, validateFusion, type FusionSettings, type GradVariant } from './fusion-plan';

/** Everything a GRAD panel is configured with. */
export interface GradSettings {
  fusion: FusionSettings;
  /** Bundled corpus name, or NO_CORPUS. */
  corpusName: string;
  /** Pasted corpus text (passages separated by blank lines), possibly empty. */
  corpus: string;
  /** Passages retrieved per prompt. */
  topN: number;
  /** The processor chain: greedy, with an optional repetition penalty. */
  chain: ChainParams;
}

/** GRAD's parameter schema (defaults: sample corpus, top-10, variant A with λ = 1). */
export function gradParams(): ParamSchema[] {
  const penalty = chainParams().filter((p) => GREEDY_PROCESSORS.includes(p.name));
  return [
    { name: 'corpusName', label: 'Sample corpus', type: 'enum', default: SAMPLE_CORPORA[0], options: [NO_CORPUS, ...SAMPLE_CORPORA], help: 'A bundled set of short passages added to the pool (two sets of facts, one of pirate stories; none: only the pasted corpus).' },
    { name: 'corpus', label: 'Corpus', type: 'text', default: '', maxLength: MAX_CORPUS_CHARS, help: 'Your own passages, separated by blank lines; added to the pool.' },
    { name: 'topN', label: 'Retrieved passages N', type: 'integer', default: 10, min: 1, max: 100, help: 'BM25 keeps the N passages that best match the prompt; the graph is built from them in one batched prefill.' },
    { name: 'variant', label: 'Fusion', type: 'enum', default: 'A', options: [...GRAD_VARIANTS], help: 'A: z + λ·H/ln|V|·S·g (adaptive, S = max − median top-50). B: (1−λ_B)·z + λ_B·max(z)·g. C: z + λ·S·g only when max p < γ. All three are our interpretation.' },
    { name: 'lambda', label: 'λ (A, C)', type: 'number', default: 1, min: 0, max: 100, help: 'Graph weight of fusions A and C; 0 is greedy.' },
    { name: 'lambdaB', label: 'λ_B (B)', type: 'number', default: 0.3, min: 0, max: 0.99, help: 'Graph weight of fusion B, below 1 (at 1 the model’s own logits would vanish); 0 is greedy.' },
    { name: 'gamma', label: 'Gate γ (C)', type: 'number', default: 0.5, min: 0, max: 1, help: 'Fusion C adds the graph term only when the model’s top probability is below γ.' },
    ...penalty,
  ];
}

function bad(message: string): never {
  throw new LogitscopeError('bad-request', message);
}

/** Read params into settings through the shared checker; errors name the parameter and the value. */
export function parseGradSettings(p: Record<string, ParamValue>): GradSettings {
  const schema = gradParams();
  const num = (name: string) => numberParam(schema, p, name);
  const variant = stringParam(schema, p, 'variant') as GradVariant;
  const corpusName = stringParam(schema, p, 'corpusName');
  const corpus = stringParam(schema, p, 'corpus');
  const topN = num('topN');
  let fusion: FusionSettings;
  try {
    fusion = validateFusion({ variant, lambda: num('lambda'), lambdaB: num('lambdaB'), gamma: num('gamma') });
  } catch (e) {
    bad(e instanceof Error ? e.message : String(e));
  }
  const chain = parseChain(Object.fromEntries(GREEDY_PROCESSORS.flatMap((name) => (p[name] === undefined ? [] : [[name, p[name]!]]))));
  return { fusion, corpusName, corpus, topN, chain };
}
