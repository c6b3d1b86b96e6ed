/**
 * The per-strategy parameter table of docs/url.md, generated from the schemas (the same ones the URL
 * parser and the checker read), so the documentation cannot drift: tests/app/url-doc.test.ts fails
 * when the file differs, and `UPDATE_DOCS=1` on that test rewrites it.
 */
import { expectedText, type StrategyInfo } from './params';

/** The markers around the generated table in docs/url.md. */
export const PARAM_TABLE_START = '<!-- strategy-params:start (generated from the schemas by tests/app/url-doc.test.ts; UPDATE_DOCS=1 rewrites it) -->';
export const PARAM_TABLE_END = '<!-- strategy-params:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/** One row per parameter of every strategy, in registry order: strategy, name, accepted values, default, meaning. */
export function strategyParamTable(strategies: readonly StrategyInfo[]): string {
  const rows = ['| Strategy | Parameter | Accepts | Default | Meaning |', '| --- | --- | --- | --- | --- |'];
  for (const s of strategies) {
    if (s.params.length === 0) rows.push(`| \`${s.id}\` | — | | | no parameters |`);
    for (const p of s.params) {
      const def = typeof p.default === 'string' ? (p.default === '' ? '(empty)' : `\`${p.default}\``) : `\`${String(p.default)}\``;
      rows.push(`| \`${s.id}\` | \`${p.name}\` | ${cell(expectedText(p))} | ${def} | ${cell(p.help)} |`);
    }
  }
  return rows.join('\n');
}

/** `doc` with the text between the markers replaced by the table (the markers appended when absent). */
export function withParamTable(doc: string, table: string): string {
  const start = doc.indexOf(PARAM_TABLE_START);
  const end = doc.indexOf(PARAM_TABLE_END);
  const block = `${PARAM_TABLE_START}\n\n${table}\n\n${PARAM_TABLE_END}`;
  if (start < 0 || end < start) return `${doc.trimEnd()}\n\n${block}\n`;
  return doc.slice(0, start) + block + doc.slice(end + PARAM_TABLE_END.length);
}
