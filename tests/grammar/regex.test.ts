// The regex → NFA → DFA compiler against the JS RegExp (anchored) on edge cases and random strings,
// its error messages, and the JSON-schema subset (docs/algorithms.md#grammar).
import { describe, expect, it } from 'vitest';
import { compileRegex, RegexError } from '../../strategies/grammar/worker/regex';
import { schemaToRegex } from '../../strategies/grammar/worker/json-schema';
import { mulberry32 } from '../../workers/rng';

const PATTERNS = [
  'a',
  'abc',
  'a|b',
  'a*',
  'a+',
  'a?',
  '(ab)*c',
  '(a|b)*abb',
  'a{2}',
  'a{2,}',
  'a{1,3}b',
  '(?:ab|a)+b?',
  '[a-c]+',
  '[^a]*',
  '[a\\-z]',
  '[\\]a]+',
  '.*x',
  '\\d{1,3}',
  '\\w+\\s\\W?',
  '\\.\\*\\+\\?',
  'x{0}',
  '(a|)b',
  '(Once upon a time|One day), [a-z ]{1,5}\\.',
  '\\x41\\u0062',
  '[\\d\\s]+',
  'a??b*?',
  '((a|b)c)*|d',
  '[.]',
  'a{0,2}a{1}',
  '\\{"n": "[a-z]{0,3}"\\}',
  '[^\\n]+',
  '(a*)*',
  '(|a)+',
  '[-a]',
  '[a-]',
  '\\\\',
];
const ALPHABET = ['a', 'b', 'c', 'd', 'x', ' ', '.', '1', '-', ']', '\n', 'A', '{', '"', ':', 'O', 'n', 'e', ',', '\\', '*', '+', '?'];

function randomString(rand: () => number, maxLen: number, alphabet: string[]): string {
  const n = Math.floor(rand() * (maxLen + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)]!;
  return s;
}

/** Strings built from the pattern's own characters, so matches are frequent. */
function nearStrings(pattern: string, rand: () => number, count: number): string[] {
  const own = [...new Set(pattern.replace(/[\\()[\]|*+?{}^]/g, '').split(''))];
  const pool = [...own, ...ALPHABET.slice(0, 6)];
  return Array.from({ length: count }, () => randomString(rand, 8, pool));
}

const PRINTABLE = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];

/** Random walks through live prefixes (the compiler's own view) that stop on accepting prefixes: the JS RegExp must accept them. */
function walks(dfa: ReturnType<typeof compileRegex>, rand: () => number, count: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let s = '';
    for (let i = 0; i < 40; i++) {
      if (dfa.matches(s) && rand() < 0.3) break;
      const next = PRINTABLE.filter((c) => dfa.isPrefix(s + c));
      if (next.length === 0) break;
      s += next[Math.floor(rand() * next.length)]!;
    }
    out.push(s);
  }
  return out;
}

describe('regex compiler vs JS RegExp (anchored)', () => {
  for (const p of PATTERNS) {
    it(`agrees on ${JSON.stringify(p)}`, () => {
      const dfa = compileRegex(p);
      const js = new RegExp(`^(?:${p})$`);
      const rand = mulberry32(p.length * 7919 + p.charCodeAt(0));
      const strings = ['', ...nearStrings(p, rand, 400), ...Array.from({ length: 200 }, () => randomString(rand, 6, ALPHABET)), ...walks(dfa, rand, 100)];
      let matched = 0;
      for (const s of strings) {
        const want = js.test(s);
        expect(dfa.matches(s), `${JSON.stringify(p)} on ${JSON.stringify(s)}`).toBe(want);
        if (want) matched++;
        // A prefix is live iff some extension matches; check every matching string's prefixes are live.
        if (want) for (let i = 0; i <= s.length; i++) expect(dfa.isPrefix(s.slice(0, i))).toBe(true);
      }
      if (!['x{0}'].includes(p)) expect(matched).toBeGreaterThan(0);
    });
  }

  it('marks dead states: no extension of a dead prefix matches', () => {
    const dfa = compileRegex('ab{1,2}c');
    expect(dfa.isPrefix('ab')).toBe(true);
    expect(dfa.isPrefix('ac')).toBe(false);
    expect(dfa.isPrefix('abbb')).toBe(false);
    expect(dfa.live[dfa.start]).toBe(true);
    expect(compileRegex('a{0}b{0}').matches('')).toBe(true);
  });

  it('rejects unsupported or bad syntax with a clear message', () => {
    const bad: [string, RegExp][] = [
      ['^a', /anchors are not supported/],
      ['a$', /anchors/],
      ['(?=a)', /look-arounds/],
      ['(a)\\1', /back-references/],
      ['\\bword', /word boundaries/],
      ['(a', /missing "\)"/],
      ['a)', /unmatched/],
      ['[a-', /missing "]"/],
      ['[z-a]', /out of order/],
      ['*a', /nothing to repeat/],
      ['a{3,1}', /out of order/],
      ['a{5000}', /above 1000/],
      ['\\q', /unknown escape/],
      ['\\', /trailing backslash/],
      ['[]', /empty class/],
    ];
    for (const [p, msg] of bad) expect(() => compileRegex(p), p).toThrow(msg);
    expect(() => compileRegex('(?=a)')).toThrow(RegexError);
  });
});

describe('JSON schema subset → regex', () => {
  const schema = JSON.stringify({
    type: 'object',
    properties: { name: { type: 'string', maxLength: 5 }, age: { type: 'integer', minimum: 0 }, ok: { type: 'boolean' }, tag: { enum: ['x', 'y z'] } },
  });
  it('matches exactly the printed objects', () => {
    const re = schemaToRegex(schema);
    const dfa = compileRegex(re);
    const good = ['{"name": "Tim", "age": 3, "ok": true, "tag": "x"}', '{"name": "", "age": 0, "ok": false, "tag": "y z"}'];
    const bad = [
      '{"name": "Timothy", "age": 3, "ok": true, "tag": "x"}',
      '{"name": "Tim", "age": 03, "ok": true, "tag": "x"}',
      '{"name": "Tim", "age": -3, "ok": true, "tag": "x"}',
      '{"name": "T"m", "age": 3, "ok": true, "tag": "x"}',
      '{"age": 3, "name": "Tim", "ok": true, "tag": "x"}',
      '{"name": "Tim", "age": 3, "ok": yes, "tag": "x"}',
    ];
    for (const s of good) expect(dfa.matches(s), s).toBe(true);
    for (const s of bad) expect(dfa.matches(s), s).toBe(false);
    // The same as the JS RegExp of the produced pattern.
    const js = new RegExp(`^(?:${re})$`);
    for (const s of [...good, ...bad]) expect(dfa.matches(s)).toBe(js.test(s));
    for (const s of good) expect(JSON.parse(s)).toBeTypeOf('object');
  });

  it('rejects what it does not support', () => {
    expect(() => schemaToRegex('{')).toThrow(/not valid JSON/);
    expect(() => schemaToRegex('{"type":"array"}')).toThrow(/only type "object"/);
    expect(() => schemaToRegex('{"type":"object","properties":{"a":{"type":"number"}}}')).toThrow(/type must be/);
    expect(() => schemaToRegex('{"type":"object","properties":{"a":{"type":"string","format":"email"}}}')).toThrow(/keyword "format" is not supported/);
    expect(() => schemaToRegex('{"type":"object","properties":{"a":{"type":"string","maxLength":500}}}')).toThrow(/maxLength/);
  });
});
