/**
 * The n-gram proposer of prompt-lookup decoding (Saxena 2023,
 * https://github.com/apoorvumang/prompt-lookup-decoding; HF `PromptLookupCandidateGenerator`):
 * match the last n tokens earlier in prompt + output and propose what followed them.
 */

/** A match of the sequence's last n tokens and the drafts copied after it. */
export interface LookupMatch {
  /** Index in `ids` of the first token of the earliest matching n-gram. */
  start: number;
  /** n-gram size that matched (tokens). */
  n: number;
  /** Copied continuation: up to numTokens ids after the match, cut before the first EOS (may be empty). */
  drafts: number[];
}

function sameAt(ids: readonly number[], a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (ids[a + i] !== ids[b + i]) return false;
  return true;
}

/**
 * For n from min(maxNgram, len − 1) down to 1, the earliest earlier occurrence of the last n ids
 * whose continuation is non-empty; the drafts are the next `numTokens` ids after it (HF semantics).
 * Null when no n-gram matches. O(len · maxNgram).
 */
export function promptLookup(ids: readonly number[], maxNgram: number, numTokens: number, eosIds: readonly number[] = []): LookupMatch | null {
  if (!Number.isInteger(maxNgram) || maxNgram < 1) throw new RangeError(`ngram must be a positive integer, got ${maxNgram}`);
  if (!Number.isInteger(numTokens) || numTokens < 1) throw new RangeError(`k (num tokens) must be a positive integer, got ${numTokens}`);
  const len = ids.length;
  for (let n = Math.min(maxNgram, len - 1); n >= 1; n--) {
    const key = len - n;
    // start + n < len keeps the continuation non-empty, which also skips the key itself.
    for (let start = 0; start + n < len; start++) {
      if (!sameAt(ids, start, key, n)) continue;
      const from = start + n;
      const copied = ids.slice(from, Math.min(from + numTokens, len));
      const eosAt = copied.findIndex((id) => eosIds.includes(id));
      return { start, n, drafts: eosAt >= 0 ? copied.slice(0, eosAt) : copied };
    }
  }
  return null;
}
