/** Characters that end a CNTP trial (the reference code's set); the trial keeps the punctuation token. */
export const PUNCTUATION_CHARS: readonly string[] = ['.', ',', '\n', '?', '!', ':', ';', ')', ']', '}'];

/**
 * Punctuation ids: for each character, the first id of its encoding without special tokens (as in
 * the reference code's `tokenizer.encode(c, add_special_tokens=False)[0]`). `encode` may add
 * specials; ids in `specialIds` are skipped. Characters that encode to nothing are left out.
 */
export function punctuationIds(encode: (text: string) => number[], specialIds: ReadonlySet<number>, chars: readonly string[] = PUNCTUATION_CHARS): Set<number> {
  const out = new Set<number>();
  for (const c of chars) {
    const id = encode(c).find((i) => !specialIds.has(i));
    if (id !== undefined) out.add(id);
  }
  return out;
}
