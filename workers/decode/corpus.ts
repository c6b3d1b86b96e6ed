import { LogitscopeError } from '../errors';

/** Bundled sample corpora (public/corpora/<name>.txt, listed in public/corpora/index.json). */
export const SAMPLE_CORPORA = ['solar-system', 'human-body', 'pirate-tales'] as const;

/** Value of the `corpusName` parameter that selects no bundled corpus. */
export const NO_CORPUS = 'none';

/** Site path of the bundled corpora. */
export const CORPORA_ROOT = '/corpora/';

/** Longest pasted corpus accepted, in characters. */
export const MAX_CORPUS_CHARS = 200_000;

/** Passages of a corpus text: blocks separated by one or more blank lines, trimmed, empty ones dropped. */
export function splitPassages(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * Fetch a bundled corpus by name from `origin` and split it into passages. `NO_CORPUS` gives none.
 * Throws a bad-request error naming the value for an unknown name or a failed fetch.
 */
export async function loadSampleCorpus(name: string, origin: string): Promise<string[]> {
  if (name === NO_CORPUS) return [];
  if (!(SAMPLE_CORPORA as readonly string[]).includes(name)) {
    throw new LogitscopeError('bad-request', `corpusName must be one of ${[NO_CORPUS, ...SAMPLE_CORPORA].join(', ')}, got ${JSON.stringify(name)}`);
  }
  const url = `${origin}${CORPORA_ROOT}${name}.txt`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new LogitscopeError('bad-request', `the sample corpus ${name} could not be fetched from ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) throw new LogitscopeError('bad-request', `the sample corpus ${name} could not be fetched from ${url}: HTTP ${res.status}`);
  return splitPassages(await res.text());
}
