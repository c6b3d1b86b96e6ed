import { describe, expect, it } from 'vitest';
import { toRecord, tokenText, tokenTextAfter } from '../../workers/decode/records';

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

describe('alternative and draft texts decode in place', () => {
  it('gives an alternative the same leading space its chosen token would have (popover header and list agree)', () => {
    expect(tokenTextAfter(meta, [0, 1], 3)).toBe(' time');
    expect(tokenTextAfter(meta, [], 3)).toBe('time');
    const base = { topIds: [3, 2], topLogits: [0, -1], lse: 0.5, entropy: 1, tokenLogit: null };
    const rec = toRecord(meta, { id: 3, base, annotations: {} } as never, ' time', [0, 1]);
    expect(rec.top.map((e) => e.text)).toEqual([' time', ' a']);
    expect(rec.top[0]!.text).toBe(rec.text);
  });
});
