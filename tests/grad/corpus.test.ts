import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CORPORA, splitPassages } from '../../workers/decode/corpus';
import { retrieve } from '../../strategies/grad/worker/retrieval';

const ROOT = join(import.meta.dirname, '../../public/corpora');

describe('splitPassages', () => {
  it('splits on blank lines (spaces and CRLF included) and drops empty blocks', () => {
    expect(splitPassages('a b\nc\n\n  d  \r\n \r\ne\n\n\n')).toEqual(['a b\nc', 'd', 'e']);
    expect(splitPassages('')).toEqual([]);
    expect(splitPassages('\n\n\n')).toEqual([]);
  });
});

describe('bundled sample corpora', () => {
  const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as { name: string; label: string }[];

  it('index.json lists exactly the names the strategy offers, each with a file of several passages', () => {
    expect(index.map((e) => e.name)).toEqual([...SAMPLE_CORPORA]);
    for (const { name } of index) {
      const passages = splitPassages(readFileSync(join(ROOT, `${name}.txt`), 'utf8'));
      expect(passages.length).toBeGreaterThanOrEqual(5);
      for (const p of passages) expect(p.length).toBeLessThan(400);
    }
  });

  it('BM25 finds the right passage for a factual prompt', () => {
    const pool = splitPassages(readFileSync(join(ROOT, 'solar-system.txt'), 'utf8'));
    const r = retrieve(pool, 'Which planet has bright rings of ice?', 3);
    expect(r.passages[0]).toMatch(/^Saturn/);
    expect(r.scores).toEqual([...r.scores].sort((a, b) => b - a));
  });
});
