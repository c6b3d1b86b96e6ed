import { describe, expect, it } from 'vitest';
import { builtinSpec, checkModelSpec } from '../../app/model-spec';
import { describeParams, parsePanels, serializePanels } from '../../app/panel-spec';
import { nextTokenIndex } from '../../app/token-nav';
import { exportFileName } from '../../app/share';
import { formatBytes, formatNats, formatProb, streamTokenText, tokenMarker, visibleTokenText } from '../../app/format';
import type { RunRecord } from '../../protocol';

describe('checkModelSpec', () => {
  it.each([
    ['builtin:tiny-llama', 'builtin'],
    ['HuggingFaceTB/SmolLM2-135M-Instruct', 'hub'],
    ['onnx-community/Qwen2.5-0.5B-Instruct', 'hub'],
    ['/models/stories260k', 'path'],
    ['https://example.org/models/x/', 'url'],
  ])('accepts %s', (value, kind) => {
    expect(checkModelSpec(value)).toEqual({ ok: true, kind, value });
  });

  it.each(['', 'javascript:alert(1)', 'http://x.org/m', '//x.org/m', 'a b/c', 'org/na\u0000me', '/a\\b', 'file:///etc', 'builtin:', 'x'])(
    'rejects %j',
    (value) => {
      expect(checkModelSpec(value).ok).toBe(false);
    },
  );

  it('adds the builtin prefix only when missing', () => {
    expect(builtinSpec('tiny-llama')).toBe('builtin:tiny-llama');
    expect(builtinSpec('builtin:tiny-llama')).toBe('builtin:tiny-llama');
  });
});

describe('panel lists', () => {
  it('parses spaces around entries and typed values', () => {
    const r = parsePanels(' greedy , speculative( k=4 ; adaptive=false ; mode=a.b-c ; t=-0.5 )');
    expect(r).toEqual({
      ok: true,
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'speculative', params: { k: 4, adaptive: false, mode: 'a.b-c', t: -0.5 } },
      ],
    });
    if (r.ok) expect(serializePanels(r.panels)).toBe('greedy,speculative(k=4;adaptive=false;mode=a.b-c;t=-0.5)');
  });

  it('says to separate parameters with ";" when a comma split them, else that ")" is missing', () => {
    expect(parsePanels('greedy,sample(temperature=0.8,topP=0.9)')).toEqual({ ok: false, reason: 'sample: separate its parameters with ";" (a "," starts the next panel), e.g. sample(a=1;b=2)' });
    expect(parsePanels('sample(temperature=0.8,greedy')).toEqual({ ok: false, reason: 'sample: missing ")"' });
  });

  it('describes params for panel titles', () => {
    expect(describeParams({ k: 4, adaptive: true })).toBe('k=4, adaptive=true');
  });
});

describe('small helpers', () => {
  it('moves between tokens with the keyboard', () => {
    expect(nextTokenIndex('ArrowRight', 2, 5)).toBe(3);
    expect(nextTokenIndex('ArrowRight', 4, 5)).toBe(4);
    expect(nextTokenIndex('ArrowLeft', 0, 5)).toBe(0);
    expect(nextTokenIndex('End', 0, 5)).toBe(4);
    expect(nextTokenIndex('Home', 3, 5)).toBe(0);
    expect(nextTokenIndex('a', 3, 5)).toBeNull();
  });

  it('names export files after the run time', () => {
    const record = { createdAt: '2025-11-26T09:38:00.123Z' } as RunRecord;
    expect(exportFileName(record)).toBe('logitscope-run-2025-11-26T09-38-00-123Z.json');
  });

  it('shows bidi controls in the stream as visible escapes, so a token cannot reorder what follows', () => {
    const all = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const c of all) expect(streamTokenText(`x${String.fromCodePoint(c)}y`)).toBe(`x⟨U+${c.toString(16).toUpperCase()}⟩y`);
    expect(streamTokenText(' évil\u200e\n')).toBe(' évil\u200e\n');
  });

  it('formats token text and numbers', () => {
    expect(visibleTokenText(' a\n')).toBe('␣a↵');
    expect(visibleTokenText('')).toBe('∅');
    expect(visibleTokenText('\u001a\u007f')).toBe('\u241a\u2421');
    expect(visibleTokenText('a\u202eb\u2066')).toBe('a⟨U+202E⟩b⟨U+2066⟩');
    expect(tokenMarker('\n')).toBe('newline');
    // A bare space or tab is marked with the same glyph the popover and lists show, not a blank sliver.
    expect(tokenMarker(' ')).toBe('invisible');
    expect(tokenMarker('\t')).toBe('invisible');
    expect(tokenMarker(' a')).toBeNull();
    expect(tokenMarker('\r')).toBe('invisible');
    expect(tokenMarker('\u200b')).toBe('invisible');
    expect(tokenMarker('\r a')).toBeNull();
    expect(tokenMarker('')).toBe('empty');
    expect(formatProb(0.5)).toBe('0.500');
    expect(formatProb(0.00001234)).toBe('1.23e-5');
    expect(formatNats(-0.2057)).toBe('-0.21 nats');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});
