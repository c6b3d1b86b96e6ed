import type { TokenRecord, TopEntry } from '../../protocol';
import type { EmittedToken } from './step';

/** The part of a tokenizer that turns ids back into text. */
export interface Detokenizer {
  decode(ids: number[]): string;
}

/** Alternatives listed per token in records and popovers. */
export const RECORD_TOP = 10;

/** Tokens of context used to detokenize one new token (enough for multi-byte and metaspace joins). */
const WINDOW = 8;

/**
 * Text of the token at `index` of `ids`: the decode of a short window ending at it minus the decode
 * of the same window without it, so leading spaces and multi-byte characters come out right.
 */
export function tokenText(tok: Detokenizer, ids: number[], index: number): string {
  const start = Math.max(0, index - WINDOW);
  // An incomplete multi-byte character decodes as U+FFFD until its last byte arrives; that byte's
  // token then carries the whole character.
  const before = tok.decode(ids.slice(start, index)).replace(/\uFFFD+$/, '');
  const upTo = tok.decode(ids.slice(start, index + 1));
  if (upTo.startsWith(before)) return upTo.slice(before.length);
  return tok.decode(ids.slice(index, index + 1));
}

/**
 * Text of `id` if it came right after `context` (a draft, an alternative): decoded the same way as
 * an emitted token, so an alternative reads `␣play` where the chosen token does, not `play`.
 */
export function tokenTextAfter(tok: Detokenizer, context: readonly number[], id: number): string {
  const ids = context.slice(Math.max(0, context.length - WINDOW));
  ids.push(id);
  return tokenText(tok, ids, ids.length - 1);
}

/**
 * Build the exported record of an emitted token; `text` comes from `tokenText`, and `context` (the
 * ids before it) decodes its alternatives in place.
 */
export function toRecord(tok: Detokenizer, t: EmittedToken, text: string, context: readonly number[] = []): TokenRecord {
  const b = t.base;
  const at = b.topIds.indexOf(t.id);
  const logit = at >= 0 ? b.topLogits[at]! : b.tokenLogit;
  if (logit === null || logit === undefined) throw new Error(`no base logit for token ${t.id}`);
  const logprob = logit - b.lse;
  const top: TopEntry[] = b.topIds.slice(0, RECORD_TOP).map((id, i) => ({
    id,
    text: tokenTextAfter(tok, context, id),
    prob: Math.exp(b.topLogits[i]! - b.lse),
  }));
  return { id: t.id, text, prob: Math.exp(logprob), logprob, entropy: b.entropy, top, annotations: t.annotations };
}
