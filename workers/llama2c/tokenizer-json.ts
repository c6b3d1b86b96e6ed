// llama2.c vocabulary → Hugging Face tokenizer.json (SentencePiece-style BPE with byte fallback),
// built so that transformers.js encodes a text to the same ids as run.c's encode(): run.c prepends
// a " " token, splits into code points (unknown ones fall back to bytes <0xXX> = id byte + 3), then
// repeatedly merges the adjacent pair whose concatenation is the vocabulary piece with the highest
// score. HF BPE merges the lowest-ranked listed pair first, so every split a+b of every piece is
// listed, ranked by the score of a+b (highest first).
import { LogitscopeError } from '../errors';
import type { Llama2cVocab } from './tokenizer-bin';

/** SentencePiece's visible space. */
const SPACE = '\u2581';
/** run.c's fixed ids: <unk>, <s> (BOS), </s> (EOS). */
const SPECIALS = ['<unk>', '<s>', '</s>'];
const BYTE_PIECE = /^<0x[0-9A-F]{2}>$/;

/** The HF piece of llama2.c piece `i` (specials by name, spaces as ▁). */
function hfPiece(vocab: Llama2cVocab, i: number): string {
  if (i < SPECIALS.length) return SPECIALS[i]!;
  const p = vocab.pieces[i]!;
  return BYTE_PIECE.test(p) ? p : p.replace(/ /g, SPACE);
}

/** The vocabulary map, refusing a vocabulary whose pieces collide. */
function vocabMap(vocab: Llama2cVocab, where: string): Map<string, number> {
  if (vocab.pieces.length < 3 + 256) {
    throw new LogitscopeError('model-invalid', `${where}: a llama2.c vocabulary holds <unk>, <s>, </s> and 256 byte tokens, got ${vocab.pieces.length} tokens`);
  }
  const map = new Map<string, number>();
  for (let i = 0; i < vocab.pieces.length; i++) {
    const piece = hfPiece(vocab, i);
    if (i >= 3 && i < 259 && piece !== `<0x${(i - 3).toString(16).toUpperCase().padStart(2, '0')}>`) {
      throw new LogitscopeError('model-invalid', `${where}: token ${i} must be the byte token <0x${(i - 3).toString(16).toUpperCase().padStart(2, '0')}>, got ${JSON.stringify(piece)}`);
    }
    if (map.has(piece)) throw new LogitscopeError('model-invalid', `${where}: the piece ${JSON.stringify(piece)} appears twice (ids ${map.get(piece)} and ${i})`);
    map.set(piece, i);
  }
  return map;
}

/** Every [a, b] with a + b a piece and both parts pieces, ranked as run.c would merge them. */
function mergesFor(vocab: Llama2cVocab, map: Map<string, number>): [string, string][] {
  const ranked: { a: string; b: string; score: number; id: number; split: number }[] = [];
  for (const [piece, id] of map) {
    if (id < SPECIALS.length) continue;
    const chars = Array.from(piece);
    for (let k = 1; k < chars.length; k++) {
      const a = chars.slice(0, k).join('');
      const b = chars.slice(k).join('');
      const ia = map.get(a);
      const ib = map.get(b);
      if (ia === undefined || ib === undefined || ia < SPECIALS.length || ib < SPECIALS.length) continue;
      ranked.push({ a, b, score: vocab.scores[id]!, id, split: k });
    }
  }
  ranked.sort((x, y) => y.score - x.score || x.id - y.id || x.split - y.split);
  return ranked.map((m) => [m.a, m.b]);
}

/** tokenizer.json for a llama2.c vocabulary; `where` names the file in errors. */
export function llama2cTokenizerJson(vocab: Llama2cVocab, where: string): Record<string, unknown> {
  const map = vocabMap(vocab, where);
  const added = SPECIALS.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: SPACE }, { type: 'Replace', pattern: { String: ' ' }, content: SPACE }] },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [{ type: 'Replace', pattern: { String: SPACE }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab: Object.fromEntries(map),
      merges: mergesFor(vocab, map),
    },
  };
}

/** tokenizer_config.json matching llama2.c's encode (BOS added, no EOS, legacy SentencePiece spaces). */
export function llama2cTokenizerConfig(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'LlamaTokenizer',
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: null,
    add_bos_token: true,
    add_eos_token: false,
    legacy: true,
    model_max_length: maxLength,
    clean_up_tokenization_spaces: false,
    spaces_between_special_tokens: false,
  };
}
