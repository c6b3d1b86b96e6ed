import { describe, expect, it } from 'vitest';
import { tokenText } from '../../workers/decode/records';

/** A byte-level detokenizer: ids are UTF-8 bytes, decoded with replacement characters like HF's. */
const bytes = { decode: (ids: number[]) => new TextDecoder().decode(new Uint8Array(ids)) };
/** A metaspace-style detokenizer that strips the leading space of the whole string. */
const pieces = ['▁Once', '▁upon', '▁a', '▁time'];
const meta = { decode: (ids: number[]) => ids.map((i) => pieces[i]!).join('').replaceAll('▁', ' ').replace(/^ /, '') };

describe('token text from windowed decoding', () => {
  it('keeps leading spaces that a single-token decode would strip', () => {
    expect([0, 1, 2, 3].map((_, i) => tokenText(meta, [0, 1, 2, 3], i))).toEqual(['Once', ' upon', ' a', ' time']);
  });
  it('gives a multi-byte character to the token that completes it', () => {
    const ids = [...new TextEncoder().encode('aé😀b')];
    const texts = ids.map((_, i) => tokenText(bytes, ids, i));
    expect(texts.join('').replaceAll('\uFFFD', '')).toBe('aé😀b');
    expect(texts[2]).toBe('é');
    expect(texts[6]).toBe('😀');
  });
});
