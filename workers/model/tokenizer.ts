import * as transformers from '@huggingface/transformers';
import { LogitscopeError } from '../errors';

type HfTokenizer = transformers.PreTrainedTokenizer;
type TokenizerClass = new (json: object, config: object) => HfTokenizer;

/** A transformers.js tokenizer plus the facts the decode loop needs. */
export class TextTokenizer {
  /** Number of ids the tokenizer defines (max id + 1); logit rows at or beyond it are masked. */
  readonly size: number;
  readonly bosId: number | null;
  readonly eosIds: number[];
  /** Hash of the vocabulary, used to check that paired models share a tokenizer. */
  readonly vocabHash: string;

  private constructor(private readonly tok: HfTokenizer, size: number, vocabHash: string, eosIds: number[]) {
    this.size = size;
    this.bosId = tok.bos_token_id ?? null;
    this.eosIds = eosIds;
    this.vocabHash = vocabHash;
  }

  /**
   * Build from the parsed tokenizer.json and tokenizer_config.json with the tokenizer class that
   * transformers.js' AutoTokenizer would choose for `tokenizer_class`; `where` names tokenizer.json
   * and `configWhere` tokenizer_config.json in messages.
   */
  static create(json: Record<string, unknown>, config: Record<string, unknown>, extraEos: number[], where: string, configWhere = where): TextTokenizer {
    const Cls = tokenizerClass(config, configWhere);
    let tok: HfTokenizer;
    try {
      tok = new Cls(json, config);
    } catch (e) {
      throw new LogitscopeError('model-invalid', `The tokenizer at ${where} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const vocab = tok.get_vocab() as Map<string, number> | Record<string, number>;
    const entries = vocab instanceof Map ? [...vocab.entries()] : Object.entries(vocab);
    let maxId = -1;
    for (const [, id] of entries) if (id > maxId) maxId = id;
    const eos = new Set<number>(extraEos);
    if (typeof tok.eos_token_id === 'number') eos.add(tok.eos_token_id);
    return new TextTokenizer(tok, maxId + 1, hashVocab(entries), [...eos]);
  }

  /** Encode a prompt with the tokenizer's defaults (BOS included where the tokenizer adds it). */
  encode(text: string, chatTemplate: boolean): number[] {
    if (chatTemplate && this.tok.chat_template) {
      const ids = this.tok.apply_chat_template([{ role: 'user', content: text }], {
        tokenize: true,
        add_generation_prompt: true,
        return_tensor: false,
      }) as unknown as number[];
      return Array.from(ids, Number);
    }
    return this.tok.encode(text);
  }

  /** Decode ids to text, special tokens included (so EOS is visible as a token). */
  decode(ids: number[]): string {
    // transformers.js rejects an empty list; a panel that failed on its first step has no tokens.
    if (ids.length === 0) return '';
    return this.tok.decode(ids, { skip_special_tokens: false });
  }

  /** Whether a chat template is available for the raw/chat toggle. */
  get hasChatTemplate(): boolean {
    return Boolean(this.tok.chat_template);
  }
}

// Names AutoTokenizer would also accept though transformers.js has no class of that name: it falls
// back to the generic tokenizer for them, and so do we.
const TOKENIZER_NAME = /^[A-Z][A-Za-z0-9]*Tokenizer(Fast)?$/;

/**
 * The class for `tokenizer_class` of tokenizer_config.json (`where` names the file): the
 * transformers.js tokenizer of that name, the generic one when the field is absent or names a
 * tokenizer transformers.js lacks, and a `model-invalid` refusal for anything else (a model
 * class such as `AutoModelForCausalLM`, which would be constructed and fail at the first use).
 */
export function tokenizerClass(config: Record<string, unknown>, where: string): TokenizerClass {
  if (!Object.hasOwn(config, 'tokenizer_class') || config.tokenizer_class === null) return transformers.PreTrainedTokenizer;
  const value = config.tokenizer_class;
  const name = typeof value === 'string' ? value.replace(/Fast$/, '') : '';
  const registry = transformers as unknown as Record<string, unknown>;
  const Cls = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (Cls === transformers.PreTrainedTokenizer || (typeof Cls === 'function' && Cls.prototype instanceof transformers.PreTrainedTokenizer)) return Cls as TokenizerClass;
  if (Cls === undefined && typeof value === 'string' && TOKENIZER_NAME.test(value)) return transformers.PreTrainedTokenizer;
  throw new LogitscopeError('model-invalid', `${where}: tokenizer_class must name a tokenizer class (such as LlamaTokenizer or PreTrainedTokenizerFast), got ${JSON.stringify(value)}`);
}

/** FNV-1a over the sorted (token, id) pairs: equal vocabularies hash equal. */
function hashVocab(entries: [string, number][]): string {
  const sorted = [...entries].sort((a, b) => a[1] - b[1]);
  let h = 0x811c9dc5;
  for (const [token, id] of sorted) {
    const s = `${id}:${token}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}
