import { Bm25Index } from './bm25';

/** Tokens kept per passage (longer passages are cut): bounds one prefill row. */
export const MAX_PASSAGE_TOKENS = 256;

/** What retrieval picked: the passages (best first) and their pool indices and BM25 scores. */
export interface Retrieved {
  passages: string[];
  indices: number[];
  scores: number[];
}

/** The `topN` passages of `pool` that BM25 ranks best for `query` (only those sharing a term with it). */
export function retrieve(pool: readonly string[], query: string, topN: number): Retrieved {
  const hits = new Bm25Index(pool).top(query, topN);
  return { passages: hits.map((h) => pool[h.index]!), indices: hits.map((h) => h.index), scores: hits.map((h) => h.score) };
}

/** Token ids of each passage, encoded as the prompt is (BOS where the tokenizer adds it), cut to `maxTokens`. */
export function encodePassages(passages: readonly string[], encode: (text: string) => number[], maxTokens = MAX_PASSAGE_TOKENS): number[][] {
  if (!Number.isInteger(maxTokens) || maxTokens < 2) throw new RangeError(`maxTokens must be an integer ≥ 2, got ${maxTokens}`);
  return passages.map((p) => encode(p).slice(0, maxTokens));
}
