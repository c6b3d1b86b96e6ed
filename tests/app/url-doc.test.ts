// docs/url.md lists every strategy's parameter names; the table is generated from the schemas and
// this test fails when it is out of date (UPDATE_DOCS=1 rewrites it). Unknown names get a suggestion.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPanelParams, suggestParam } from '../../protocol';
import { strategyParamTable, withParamTable } from '../../protocol/param-docs';
import { listStrategies } from '../../strategies/registry';

const DOC = new URL('../../docs/url.md', import.meta.url);

describe('docs/url.md', () => {
  it('lists every strategy parameter exactly as the schemas declare it', () => {
    const doc = readFileSync(DOC, 'utf8');
    const want = withParamTable(doc, strategyParamTable(listStrategies()));
    if (process.env.UPDATE_DOCS === '1' && want !== doc) writeFileSync(DOC, want);
    else expect(doc, 'docs/url.md is out of date: run UPDATE_DOCS=1 npx vitest run tests/app/url-doc.test.ts').toBe(want);
    for (const s of listStrategies()) for (const p of s.params) expect(doc).toContain(`| \`${s.id}\` | \`${p.name}\` |`);
  });
});

describe('unknown parameter names', () => {
  const sample = listStrategies().find((s) => s.id === 'sample')!;
  it('suggest the parameter meant, on both sides (one checker)', () => {
    expect(suggestParam(sample, 'top_p')).toBe('topP');
    expect(suggestParam(sample, 'TOP-K')).toBe('topK');
    expect(suggestParam(sample, 'temprature')).toBe('temperature');
    expect(suggestParam(sample, 'k')).toBeNull();
    expect(suggestParam(sample, 'banana')).toBeNull();
    expect(checkPanelParams(sample, { top_p: 0.9 }, 0).errors).toEqual(['Panel 1 (sample): Sampling has no parameter "top_p" (did you mean "topP"?)']);
  });
});
