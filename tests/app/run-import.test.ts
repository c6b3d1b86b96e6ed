import { describe, expect, it } from 'vitest';
import { checkRunRecord, parseRunFile, readRunFile, MAX_IMPORT_BYTES } from '../../app/run-import';
import { record, stats, token } from './fixtures-ui';

const good = record([{ strategy: 'greedy', params: { temperature: 0 }, text: 'ab', tokens: [token(1, 0.5), token(2, 0.25)], stats: stats(2) }]);

describe('run file import', () => {
  it('accepts an exported record, JSON round trip included', () => {
    const r = parseRunFile(JSON.stringify(good));
    expect(r.ok && r.record).toEqual(good);
  });

  it('gives annotations from before `kind` the kind of their panel\'s strategy; empty ones stay empty', () => {
    const old = record([
      { strategy: 'grad', params: {}, text: 'a', tokens: [token(1, 0.5, { annotations: { provenance: 'unchanged', modelArgmax: 1 } })], stats: stats(1) },
      { strategy: 'greedy', params: {}, text: 'b', tokens: [token(2, 0.5)], stats: stats(1) },
      { strategy: 'cntp', params: {}, text: 'c', tokens: [token(3, 0.5, { annotations: { kind: 'cntp', N: 1, step: 0 } })], stats: stats(1) },
    ]);
    const r = parseRunFile(JSON.stringify(old));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.panels.map((p) => p.tokens[0]!.annotations)).toEqual([{ provenance: 'unchanged', modelArgmax: 1, kind: 'grad' }, {}, { kind: 'cntp', N: 1, step: 0 }]);
  });

  it('explains a file that is not JSON, not a run, or another version', () => {
    const notJson = parseRunFile('{"format": ');
    expect(!notJson.ok && notJson.errors[0]).toMatch(/not valid JSON/);
    const other = parseRunFile(JSON.stringify({ format: 'something-else', version: 1 }));
    expect(!other.ok && other.errors[0]).toMatch(/not a Logitscope run.*"something-else"/);
    const v2 = checkRunRecord({ ...good, version: 2 });
    expect(!v2.ok && v2.errors[0]).toMatch(/version 2; this Logitscope reads version 1 only/);
    const arr = checkRunRecord([good]);
    expect(arr.ok).toBe(false);
  });

  it('names the path and the value of a bad field', () => {
    const bad = structuredClone(good) as unknown as { panels: { tokens: Record<string, unknown>[]; stats: Record<string, unknown> }[]; seed: unknown };
    bad.panels[0]!.tokens[1]!.prob = 'high';
    bad.panels[0]!.stats.finishReason = 'bored';
    bad.seed = -3;
    const r = checkRunRecord(bad);
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors).toContain('panels[0].tokens[1].prob must be a number from 0 to 1, got "high"');
    expect(errors).toContain('panels[0].stats.finishReason must be eos, max, stopped, error or null, got "bored"');
    expect(errors.some((e) => e.startsWith('seed must be'))).toBe(true);
  });

  it('caps the list of problems and refuses hostile shapes without throwing', () => {
    const many = structuredClone(good) as unknown as { panels: { tokens: unknown[] }[] };
    many.panels[0]!.tokens = Array.from({ length: 50 }, () => ({ id: -1 }));
    const r = checkRunRecord(many);
    expect(!r.ok && r.errors.length).toBe(5);
    expect(checkRunRecord({ ...good, panels: [{ ...good.panels[0], params: { 'bad name': 1 } }] }).ok).toBe(false);
    expect(checkRunRecord({ ...good, panels: [{ ...good.panels[0], tokens: [{ ...token(1, 0.5), annotations: [] }] }] }).ok).toBe(false);
    expect(checkRunRecord({ ...good, panels: [] }).ok).toBe(false);
  });

  it('checks every alternative it keeps: a bad 256th entry is named; 257 entries (the 257th null) are refused', () => {
    const withTop = (top: unknown[]) => ({ ...good, panels: [{ ...good.panels[0], tokens: [{ ...token(1, 0.5), top }] }] });
    const entry = (i: number) => ({ id: i, text: `t${i}`, prob: 0.001 });
    const top256 = Array.from({ length: 256 }, (_, i) => entry(i));
    expect(checkRunRecord(withTop(top256)).ok).toBe(true);
    const bad = [...top256.slice(0, 255), null];
    const r = checkRunRecord(withTop(bad));
    expect(!r.ok && r.errors).toEqual(['panels[0].tokens[0].top[255] must be an object {id, text, prob}, got null']);
    const long = checkRunRecord(withTop([...top256, null]));
    expect(!long.ok && long.errors).toEqual(['panels[0].tokens[0].top must be at most 256 alternatives, got "257 alternatives"']);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const huge = { size: MAX_IMPORT_BYTES + 1, text: () => Promise.reject(new Error('must not be read')) } as unknown as Blob;
    const r = await readRunFile(huge);
    expect(!r.ok && r.errors[0]).toMatch(/bytes/);
  });
});

describe('import caps follow what a run can produce', () => {
  const panel = (n: number) => ({ strategy: 'greedy', params: {}, text: '', tokens: Array.from({ length: n }, (_, i) => token(i % 200, 0.5)), stats: stats(n) });
  it('takes 6 panels × 2048 tokens (a run at the limits) and refuses a 7th panel or a 2049th token', () => {
    const atLimit = record(Array.from({ length: 6 }, () => panel(2048)));
    atLimit.maxNewTokens = 2048;
    expect(checkRunRecord(atLimit).ok).toBe(true);
    const seven = checkRunRecord({ ...atLimit, panels: [...atLimit.panels, panel(1)] });
    expect(!seven.ok && seven.errors.join(' ')).toContain('at most 6 panels');
    const long = checkRunRecord({ ...atLimit, panels: [panel(2049)] });
    expect(!long.ok && long.errors.join(' ')).toContain('at most 2048 tokens');
  });
});
