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
 * Texts of tokens as they would read right after `context` (a draft, the alternatives of a
 * position): decoded the same way as an emitted token, so an alternative reads `␣play` where the
 * chosen token does, not `play`. The context's own text is decoded once for all of them.
 */
export class TextsAfter {
  private readonly window: number[];
  private before: string | null = null;
  /** Texts found so far (the emitted token is usually also its own first alternative). */
  private readonly texts = new Map<number, string>();

  constructor(
    private readonly tok: Detokenizer,
    context: readonly number[],
  ) {
    this.window = context.slice(Math.max(0, context.length - WINDOW));
  }

  /** The text of `id` after the context (what `tokenText` gives for it there). */
  of(id: number): string {
    let text = this.texts.get(id);
    if (text === undefined) {
      this.before ??= this.tok.decode(this.window).replace(/\uFFFD+$/, '');
      const upTo = this.tok.decode([...this.window, id]);
      text = upTo.startsWith(this.before) ? upTo.slice(this.before.length) : this.tok.decode([id]);
      this.texts.set(id, text);
    }
    return text;
  }
}

/** Text of `id` if it came right after `context` (one token; `TextsAfter` for several). */
export function tokenTextAfter(tok: Detokenizer, context: readonly number[], id: number): string {
  return new TextsAfter(tok, context).of(id);
}

/**
 * Build the exported record of an emitted token; `text` comes from `tokenText`, and `context` (the
 * ids before it) decodes its alternatives in place (`after`: the same context's TextsAfter, when the
 * caller has one).
 */
export function toRecord(tok: Detokenizer, t: EmittedToken, text: string, context: readonly number[] = [], after = new TextsAfter(tok, context)): TokenRecord {
  const b = t.base;
  const at = b.topIds.indexOf(t.id);
  const logit = at >= 0 ? b.topLogits[at]! : b.tokenLogit;
  if (logit === null || logit === undefined) throw new Error(`no base logit for token ${t.id}`);
  const logprob = logit - b.lse;
  const top: TopEntry[] = b.topIds.slice(0, RECORD_TOP).map((id, i) => ({
    id,
    text: after.of(id),
    prob: Math.exp(b.topLogits[i]! - b.lse),
  }));
  return { id: t.id, text, prob: Math.exp(logprob), logprob, entropy: b.entropy, top, annotations: t.annotations };
}
