import { chainParams, isSampling, parseChain, type ChainParams } from '../../../workers/processors/chain';
import type { ParamSchema, ParamValue } from '../../../protocol';
import { LogitscopeError } from '../../../workers/errors';
import { numberParam, stringParam } from '../../../workers/params';
import { compileRegex, RegexError, type Dfa } from './regex';
import { schemaToRegex } from './json-schema';

/** Everything a grammar panel is configured with. */
export interface GrammarSettings {
  /** The regex the output must match as a whole (from `regex` or compiled from `jsonSchema`). */
  pattern: string;
  /** Where the pattern came from. */
  source: 'regex' | 'jsonSchema';
  /** 1 = ASAp (adaptive sampling with approximate expected futures), 0 = plain masking (GCD). */
  asap: boolean;
  /** ASAp: complete samples drawn (the panel shows the last). */
  samples: number;
  chain: ChainParams;
}

/** A continuation of the default prompt “Once upon a time” (the regex matches the text after the prompt). */
export const DEFAULT_REGEX = ', (there was a|there lived a|one day a) [a-z ]{1,40}\\.';
export const MAX_PATTERN_CHARS = 2000;
export const MAX_SAMPLES = 64;

/** The schema: regex or JSON schema, asap, samples, then the processor chain (sampling at T = 1 by default). */
export function grammarParams(): ParamSchema[] {
  return [
    {
      name: 'regex',
      label: 'Regex',
      type: 'text',
      default: DEFAULT_REGEX,
      maxLength: MAX_PATTERN_CHARS,
      help: 'The whole output (the text after the prompt) must match it (anchored). Supported: literals, escapes (\\d \\w \\s \\n \\xHH …), classes [a-z] [^…], ., * + ? {m,n}, |, (…) (?:…). Leave empty to use the JSON schema.',
    },
    {
      name: 'jsonSchema',
      label: 'JSON schema',
      type: 'text',
      default: '',
      maxLength: MAX_PATTERN_CHARS,
      help: 'Instead of a regex: {"type":"object","properties":{…}} with string (maxLength, minLength, enum, pattern), integer, boolean properties, printed in order as {"a": …, "b": …}. Compiled to a regex.',
    },
    {
      name: 'asap',
      label: 'ASAp',
      type: 'integer',
      default: 0,
      min: 0,
      max: 1,
      help: '0: plain masking (GCD: biased towards prefixes whose continuations are mostly ungrammatical). 1: ASAp: draw `samples` complete samples, learning from each how much probability the grammar really leaves; the panel shows the last. ASAp uses p = softmax(z/T): the penalties and top-k/top-p/min-p do not apply.',
    },
    {
      name: 'samples',
      label: 'ASAp samples',
      type: 'integer',
      default: 8,
      min: 1,
      max: MAX_SAMPLES,
      help: 'ASAp only: complete samples drawn from the prompt; shared prefixes reuse cached distributions (no forward).',
    },
    ...chainParams({ temperature: 1 }),
  ];
}

/** Read params into settings; errors name the parameter and the reason (regex syntax included). */
export function parseGrammarSettings(p: Record<string, ParamValue>): GrammarSettings {
  const schema = grammarParams();
  const regex = stringParam(schema, p, 'regex');
  const json = stringParam(schema, p, 'jsonSchema');
  const asap = numberParam(schema, p, 'asap') === 1;
  // Sampling at T = 1 unless told (the schema's default; params from the app come filled).
  const chain = parseChain({ temperature: 1, ...p });
  if (json.trim() !== '' && p.regex !== undefined && regex !== '' && regex !== DEFAULT_REGEX)
    throw new LogitscopeError('bad-request', 'grammar: give either regex or jsonSchema, not both (empty the regex to use the schema)');
  const source = json.trim() !== '' ? 'jsonSchema' : 'regex';
  if (source === 'regex' && regex === '') throw new LogitscopeError('bad-request', 'grammar: the regex is empty (give a regex or a JSON schema)');
  let pattern: string;
  try {
    pattern = source === 'jsonSchema' ? schemaToRegex(json) : regex;
  } catch (e) {
    if (e instanceof RegexError) throw new LogitscopeError('bad-request', e.message);
    throw e;
  }
  if (asap && !isSampling(chain)) throw new LogitscopeError('bad-request', 'grammar: ASAp samples: set temperature > 0 (asap = 1 with a greedy chain)');
  return { pattern, source, asap, samples: numberParam(schema, p, 'samples'), chain };
}

/** Compile the settings' pattern (errors as bad-request with the regex message). */
export function compileSettings(s: GrammarSettings): Dfa {
  try {
    const dfa = compileRegex(s.pattern);
    if (!dfa.live[dfa.start]) throw new RegexError(`regex: ${JSON.stringify(s.pattern)} matches no string`);
    return dfa;
  } catch (e) {
    if (e instanceof RegexError) throw new LogitscopeError('bad-request', e.message);
    throw e;
  }
}
