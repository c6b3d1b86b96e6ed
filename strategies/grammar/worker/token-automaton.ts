/**
 * The token-level automaton over a tokenizer's vocabulary (docs/algorithms.md#grammar): a token's
 * step runs the DFA over its decoded text; allowed(s) = tokens whose step stays live, plus EOS when
 * s accepts; cached per visited DFA state as a dense bitmask (the fused kernel's allow term).
 *
 * Token texts are decoded once, after the prompt (so a SentencePiece "▁word" reads " word"). Byte
 * tokens: a byte-fallback token whose text is a complete character (ASCII bytes) counts as that
 * character; a token whose text is empty or holds U+FFFD (an incomplete UTF-8 byte, a special token
 * that decodes to nothing) is never allowed. There is no pending-byte buffer: non-ASCII characters
 * can be produced only by tokens that carry the whole character.
 */
import type { Dfa } from './regex';

/** Allowed set of one DFA state. */
export interface AllowedSet {
  /** Bit i of word i >> 5: token i allowed. */
  mask: Uint32Array;
  /** Allowed ids, ascending (EOS included when the state accepts). */
  ids: number[];
  /** Whether EOS is allowed (the state accepts). */
  eos: boolean;
}

export class TokenAutomaton {
  private readonly cache = new Map<number, AllowedSet>();
  /** DFA state after each token from each visited state (−1 = not allowed). */
  private readonly nextCache = new Map<number, Int32Array>();

  /**
   * @param texts decoded text of each token id (index = id), length = the row width to mask
   * @param eosId the id emitted to end a grammatical output
   * @param excluded ids never allowed as text (BOS, other specials)
   */
  constructor(
    readonly dfa: Dfa,
    readonly texts: readonly string[],
    readonly eosId: number,
    private readonly excluded: ReadonlySet<number> = new Set(),
  ) {}

  get vocab(): number {
    return this.texts.length;
  }

  /** Whether token `id` can carry grammar text at all. */
  usable(id: number): boolean {
    const t = this.texts[id];
    return id !== this.eosId && !this.excluded.has(id) && t !== undefined && t.length > 0 && !t.includes('\uFFFD');
  }

  private nextRow(s: number): Int32Array {
    let row = this.nextCache.get(s);
    if (!row) {
      row = new Int32Array(this.vocab).fill(-1);
      for (let id = 0; id < this.vocab; id++) if (this.usable(id)) row[id] = this.dfa.run(s, this.texts[id]!);
      this.nextCache.set(s, row);
    }
    return row;
  }

  /** DFA state after token `id` from `s` (−1: not allowed; EOS keeps the state). */
  step(s: number, id: number): number {
    if (id === this.eosId) return this.dfa.accepting[s] ? s : -1;
    return this.nextRow(s)[id]!;
  }

  /** The allowed set of state `s` (cached). */
  allowed(s: number): AllowedSet {
    let a = this.cache.get(s);
    if (!a) {
      const mask = new Uint32Array(Math.ceil(this.vocab / 32));
      const ids: number[] = [];
      const row = this.nextRow(s);
      const eos = this.dfa.accepting[s]! && this.eosId >= 0 && this.eosId < this.vocab;
      for (let id = 0; id < this.vocab; id++) {
        if (row[id]! >= 0 || (id === this.eosId && eos)) {
          mask[id >>> 5]! |= 1 << (id & 31);
          ids.push(id);
        }
      }
      a = { mask, ids, eos };
      this.cache.set(s, a);
    }
    return a;
  }

  /** States whose allowed sets were computed. */
  get visited(): number {
    return this.cache.size;
  }
}
