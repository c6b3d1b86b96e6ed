import { describe, expect, it } from 'vitest';
import { Bm25Index, terms } from '../../strategies/grad/worker/bm25';

const DOCS = [
  'the cat sat on the mat', // 0
  'dogs chase cats in the park', // 1
  'the moon orbits the earth', // 2
  'cat cat cat food', // 3
  'the cat sat on the mat', // 4 (duplicate of 0)
];

describe('terms', () => {
  it('lower-cases and splits on anything that is not a letter or digit, Unicode included', () => {
    expect(terms('Hello, World! Ünïcode 42x')).toEqual(['hello', 'world', 'ünïcode', '42x']);
    expect(terms('  ...  ')).toEqual([]);
  });
});

describe('BM25 ranking on a toy corpus', () => {
  const index = new Bm25Index(DOCS);

  it('ranks by term frequency with saturation and length normalisation', () => {
    // "cat" occurs in 0, 3, 4 ("cats" is another term). Doc 3 has tf 3 in 4 terms: it must win.
    const hits = index.top('cat', 10);
    expect(hits.map((h) => h.index)).toEqual([3, 0, 4]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    // Identical documents tie; the lower index comes first.
    expect(hits[1]!.score).toBe(hits[2]!.score);
  });

  it('prefers the rare query term (idf)', () => {
    // "moon" is in one document, "cat" in three: the moon document outranks every cat document.
    const hits = index.top('moon cat', 10);
    expect(hits[0]!.index).toBe(2);
  });

  it('matches the Okapi formula computed by hand for one document', () => {
    const N = 5;
    const avg = (6 + 6 + 5 + 4 + 6) / 5;
    const idf = Math.log(1 + (N - 1 + 0.5) / (1 + 0.5)); // "earth" is in one document
    const len = 5;
    const expected = (idf * 1 * 2.2) / (1 + 1.2 * (1 - 0.75 + (0.75 * len) / avg));
    expect(index.scores('earth')[2]).toBeCloseTo(expected, 12);
  });

  it('never returns passages that share no term with the query, and honours n', () => {
    expect(index.top('quantum chromodynamics', 10)).toEqual([]);
    expect(index.top('the', 2).length).toBe(2);
    expect(index.top('the', 0)).toEqual([]);
    expect(() => index.top('the', -1)).toThrow(/n must be a non-negative integer, got -1/);
  });

  it('counts a repeated query term once', () => {
    expect(index.scores('cat cat cat')).toEqual(index.scores('cat'));
  });

  it('handles an empty pool', () => {
    expect(new Bm25Index([]).top('cat', 3)).toEqual([]);
  });
});
