/**
 * CSV export of a run record: one row per generated token (RFC 4180 quoting, CRLF line ends).
 * Text cells that a spreadsheet would read as a formula (= + - @, their full-width forms ＝ ＋ － ＠,
 * tab or CR at the start) get a leading apostrophe, so opening an export can never run anything.
 */
import type { RunRecord } from '../protocol';
import { describeParams } from './panel-spec';
import { provenanceOf } from './provenance';
import { rankOf } from './heatmap';

/** The header row. */
export const CSV_COLUMNS = [
  'panel',
  'strategy',
  'params',
  'index',
  'token_id',
  'text',
  'prob',
  'logprob',
  'entropy',
  'rank',
  'provenance',
  'top1_id',
  'top1_text',
  'top1_prob',
  'annotations',
] as const;

function textCell(s: string): string {
  const safe = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function numberCell(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '' : String(n);
}

/** The whole CSV text for a record (header + one row per token of every panel). */
export function recordToCsv(record: RunRecord): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  record.panels.forEach((panel, p) => {
    const params = describeParams(panel.params);
    panel.tokens.forEach((t, i) => {
      const top1 = t.top[0];
      const row = [
        String(p),
        textCell(panel.strategy),
        textCell(params),
        String(i),
        String(t.id),
        textCell(t.text),
        numberCell(t.prob),
        numberCell(t.logprob),
        numberCell(t.entropy),
        numberCell(rankOf(t)),
        provenanceOf(t),
        top1 ? String(top1.id) : '',
        top1 ? textCell(top1.text) : '',
        numberCell(top1?.prob),
        textCell(JSON.stringify(t.annotations)),
      ];
      lines.push(row.join(','));
    });
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
