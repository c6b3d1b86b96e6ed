import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, parseCsv, recordToCsv } from '../../app/csv';
import { record, stats, token } from './fixtures-ui';

describe('CSV export', () => {
  const tricky = ['a,b', 'say "hi"', 'line\nbreak', '=HYPERLINK("x")', '-1', '@cmd', ' plain'];
  const rec = record([
    { strategy: 'greedy', params: {}, text: '', tokens: tricky.map((text, i) => token(i, 0.1 * (i + 1), { text, rank: i === 6 ? 0 : 1 })), stats: stats(7) },
    { strategy: 'speculative', params: { k: 4 }, text: '', tokens: [token(9, 0.5)], stats: stats(1) },
  ]);
  const rows = parseCsv(recordToCsv(rec));

  it('has a header and one row per token of every panel', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length - 1).toBe(rec.panels.reduce((n, p) => n + p.tokens.length, 0));
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('keeps every text exactly, with formula starters defused by an apostrophe', () => {
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    rows.slice(1, 8).forEach((r, i) => {
      const text = tricky[i]!;
      expect(r[col('text')]).toBe(/^[=+\-@]/.test(text) ? `'${text}` : text);
      expect(Number(r[col('prob')])).toBeCloseTo(0.1 * (i + 1), 12);
      expect(Number(r[col('logprob')])).toBeCloseTo(Math.log(0.1 * (i + 1)), 12);
      expect(r[col('panel')]).toBe('0');
      expect(r[col('index')]).toBe(String(i));
    });
    expect(rows[7]![col('rank')]).toBe('');
    expect(rows[1]![col('rank')]).toBe('1');
    expect(rows[8]![col('strategy')]).toBe('speculative');
    expect(rows[8]![col('params')]).toBe('k=4');
    expect(JSON.parse(rows[8]![col('annotations')]!)).toEqual({});
  });

  it('defuses the full-width formula starters too (＝ ＋ － ＠), and only at the start', () => {
    const texts = ['＝HYPERLINK("x")', '＋1', '－1', '＠cmd', 'a＝b'];
    const csv = parseCsv(recordToCsv(record([{ strategy: 'greedy', params: {}, text: '', tokens: texts.map((text, i) => token(i, 0.5, { text })), stats: stats(texts.length) }])));
    const col = CSV_COLUMNS.indexOf('text');
    expect(csv.slice(1).map((r) => r[col])).toEqual([`'＝HYPERLINK("x")`, `'＋1`, `'－1`, `'＠cmd`, 'a＝b']);
  });
});
