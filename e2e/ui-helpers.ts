// Helpers of the UI specs (panels.spec.ts, ui-*.spec.ts): colours, CSV, the record's numbers.
import type { Page } from '@playwright/test';
import type { RunRecord, TokenRecord } from '../protocol';

/** WCAG relative luminance of a CSS `rgb(...)` / `#rrggbb` colour, written here independently of app/. */
export function luminance(css: string): number {
  let c: number[];
  if (css.startsWith('#')) {
    const n = Number.parseInt(css.slice(1), 16);
    c = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  } else {
    const m = /rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/.exec(css);
    if (!m) throw new Error(`not a colour: ${css}`);
    c = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c[0]!) + 0.7152 * lin(c[1]!) + 0.0722 * lin(c[2]!);
}

/** What one rendered token carries: its panel, index, data-heat, data-diff and inline background. */
export interface ShownToken {
  panel: number;
  index: number;
  heat: string;
  diff: string | null;
  background: string;
  text: string;
  prob: number;
}

/** Every token span of every panel, in order. */
export async function shownTokens(page: Page): Promise<ShownToken[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-testid^="panel-"] .token')).map((el) => ({
      panel: Number(el.closest<HTMLElement>('article')?.dataset.testid?.replace('panel-', '')),
      index: Number(el.dataset.index),
      heat: el.dataset.heat ?? '',
      diff: el.dataset.diff ?? null,
      background: el.style.background || el.style.backgroundColor,
      text: el.textContent ?? '',
      prob: Number(el.dataset.prob),
    })),
  );
}

/** The token record behind a shown token. */
export function recordToken(rec: RunRecord, t: Pick<ShownToken, 'panel' | 'index'>): TokenRecord {
  const tok = rec.panels[t.panel]?.tokens[t.index];
  if (!tok) throw new Error(`no token ${t.index} in panel ${t.panel}`);
  return tok;
}

/** The last finished run's record from the page. */
export async function exported(page: Page): Promise<RunRecord> {
  const rec = await page.evaluate(() => window.logitscope.exportRun());
  if (!rec) throw new Error('no run record');
  return rec;
}

/** RFC 4180 rows (independent of app/csv.ts). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** The provenance group the spec expects for a token, read from its annotations by the documented keys. */
export function expectedProvenance(t: TokenRecord): string {
  const a = t.annotations as Record<string, unknown>;
  if (typeof a.fate === 'string' && typeof a.iteration === 'number') return a.drafted === 0 ? 'grey' : `spec-${a.fate}`;
  if (typeof a.provenance === 'string') return a.provenance === 'flipped by graph' ? 'grad-flipped' : a.provenance === 'unchanged' ? 'grey' : 'pale';
  if (typeof a.N === 'number') return a.N > 1 ? 'cntp-winner' : 'grey';
  if (typeof a.departed === 'boolean') return a.departed ? 'departed' : 'grey';
  if (typeof a.chosenRank === 'number') return a.chosenRank !== 0 ? 'departed' : 'grey';
  return 'pale';
}
