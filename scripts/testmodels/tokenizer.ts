// The shared byte-level tokenizer: GPT-2 ByteLevel BPE with no merges, so every UTF-8 byte is one
// token and id = byte value. Ids 256 (`<s>`, BOS) and 257 (`</s>`, EOS, also pad) are specials;
// a TemplateProcessing post-processor prepends BOS on encode.
import { BOS_ID, BYTE_TOKENS, EOS_ID } from './specs';

/** Text of the BOS special token (id 256). */
export const BOS_TOKEN = '<s>';
/** Text of the EOS special token (id 257), also used as the pad token. */
export const EOS_TOKEN = '</s>';

/** GPT-2's byte → printable-unicode map: index = byte value, value = the one-character token. */
export function byteToUnicode(): string[] {
  const direct: number[] = [];
  for (let i = 33; i <= 126; i++) direct.push(i);
  for (let i = 161; i <= 172; i++) direct.push(i);
  for (let i = 174; i <= 255; i++) direct.push(i);
  const out = new Array<string>(BYTE_TOKENS);
  for (const b of direct) out[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < BYTE_TOKENS; b++) {
    if (out[b] === undefined) out[b] = String.fromCodePoint(256 + n++);
  }
  return out;
}

function special(id: number, content: string): object {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** The tokenizer.json object (HF tokenizers format). */
export function tokenizerJson(): object {
  const vocab: Record<string, number> = {};
  byteToUnicode().forEach((ch, b) => (vocab[ch] = b));
  vocab[BOS_TOKEN] = BOS_ID;
  vocab[EOS_TOKEN] = EOS_ID;
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  const bos = { SpecialToken: { id: BOS_TOKEN, type_id: 0 } };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(BOS_ID, BOS_TOKEN), special(EOS_ID, EOS_TOKEN)],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: {
      type: 'TemplateProcessing',
      single: [bos, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [bos, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: BOS_TOKEN, type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { [BOS_TOKEN]: { id: BOS_TOKEN, ids: [BOS_ID], tokens: [BOS_TOKEN] } },
    },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

/** The tokenizer_config.json object; pad is EOS. */
export function tokenizerConfigJson(maxLength: number): object {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: BOS_TOKEN,
    eos_token: EOS_TOKEN,
    pad_token: EOS_TOKEN,
    unk_token: null,
    add_bos_token: true,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: maxLength,
  };
}

/** The special_tokens_map.json object. */
export function specialTokensMapJson(): object {
  return { bos_token: BOS_TOKEN, eos_token: EOS_TOKEN, pad_token: EOS_TOKEN };
}
