// Grammar-constrained decoding (issue #14 item 5) on the trained built-in stories260K in the page, on
// WASM and on WebGPU, with the real tokenizer: every emitted prefix is a valid prefix of the regex
// (checked with the unit-tested compiler), every EOS-ended output matches the anchored JS RegExp,
// greedy GCD is the same on both backends, the popover shows the mask size and the removed mass,
// a small JSON schema yields parseable JSON, and ASAp with a few samples runs and lists them.
import { expect, test, type Page } from '@playwright/test';
import { apiRun, openDefault } from './helpers';
import type { GrammarAnnotations, RunRecord } from '../protocol';
import { compileRegex } from '../strategies/grammar/worker/regex';
import { schemaToRegex } from '../strategies/grammar/worker/json-schema';

const PROMPT = 'Once upon a time';
const REGEX = ', (there was a|one day a) [a-z ]{1,30}\\.';
const SCHEMA = JSON.stringify({ type: 'object', properties: { name: { type: 'string', maxLength: 8 }, happy: { type: 'boolean' } } });
const MAX = 48;

const body = (r: RunRecord, panel: number) =>
  r.panels[panel]!.tokens.filter((t) => (t.annotations as GrammarAnnotations).provenance !== 'grammar end')
    .map((t) => t.text)
    .join('');

function checkPanel(r: RunRecord, panel: number, pattern: string): GrammarAnnotations[] {
  const p = r.panels[panel]!;
  expect(p.error ?? null).toBeNull();
  const dfa = compileRegex(pattern);
  let text = '';
  const notes = p.tokens.map((t) => t.annotations as GrammarAnnotations);
  p.tokens.forEach((t, i) => {
    const a = notes[i]!;
    expect(a.kind).toBe('grammar');
    if (a.provenance !== 'grammar end') text += t.text;
    expect(dfa.isPrefix(text), `prefix ${JSON.stringify(text)}`).toBe(true);
    expect(a.allowed).toBeGreaterThan(0);
    expect(a.allowed).toBeLessThanOrEqual(a.vocab);
    expect(a.removedMass).toBeGreaterThanOrEqual(0);
    expect(a.removedMass).toBeLessThanOrEqual(1);
  });
  const ended = notes.at(-1)?.provenance === 'grammar end';
  if (ended) expect(new RegExp(`^(?:${pattern})$`).test(text), text).toBe(true);
  return notes;
}

async function runBoth(page: Page, backend: 'wasm' | 'webgpu'): Promise<RunRecord> {
  return apiRun(page, {
    prompt: PROMPT,
    maxNewTokens: MAX,
    seed: 1,
    backend,
    model: 'builtin:stories260k',
    draft: null,
    panels: [
      { strategy: 'greedy', params: {} },
      { strategy: 'grammar', params: { regex: REGEX, temperature: 0 } },
      { strategy: 'grammar', params: { regex: REGEX, temperature: 1 } },
      { strategy: 'grammar', params: { regex: '', jsonSchema: SCHEMA, temperature: 0 } },
      { strategy: 'grammar', params: { regex: REGEX, asap: 1, samples: 4, temperature: 1 } },
    ],
  });
}

test('grammar on WASM and WebGPU: valid prefixes, matching outputs, equal greedy outputs, popover, JSON, ASAp', async ({ page }) => {
  test.setTimeout(180_000);
  await openDefault(page);
  const records: Partial<Record<'wasm' | 'webgpu', RunRecord>> = {};
  for (const backend of ['wasm', 'webgpu'] as const) {
    const r = await runBoth(page, backend);
    records[backend] = r;
    expect(r.model.backend).toBe(backend);
    const greedyNotes = checkPanel(r, 1, REGEX);
    expect(greedyNotes.at(-1)!.provenance).toBe('grammar end');
    expect(greedyNotes.some((a) => a.removedMass > 0.01)).toBe(true);
    checkPanel(r, 2, REGEX);
    const json = checkPanel(r, 3, schemaToRegex(SCHEMA));
    if (json.at(-1)!.provenance === 'grammar end') {
      const parsed = JSON.parse(body(r, 3)) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(['name', 'happy']);
    }
    const asap = checkPanel(r, 4, REGEX);
    expect(asap[0]!.mode).toBe('asap');
    const last = asap.at(-1)!;
    if (last.provenance === 'grammar end') {
      expect(last.asap!.distribution!.reduce((s, d) => s + d.count, 0)).toBe(4);
      const re = new RegExp(`^(?:${REGEX})$`);
      for (const d of last.asap!.distribution!) expect(d.grammatical, d.text).toBe(re.test(d.text));
      expect(last.asap!.distribution!.some((d) => d.grammatical)).toBe(true);
    }
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) =>
      `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    console.log(
      `grammar on ${backend}: greedy ${per(r.panels[0]!.stats)}; GCD greedy ${per(r.panels[1]!.stats)}; GCD sampled ${per(r.panels[2]!.stats)}; ASAp(4) ${per(r.panels[4]!.stats)}`,
    );
    console.log(
      `  GCD greedy: ${JSON.stringify(body(r, 1))}; sampled: ${JSON.stringify(body(r, 2))}; JSON: ${JSON.stringify(body(r, 3))}; ASAp: ${JSON.stringify(body(r, 4))} samples ${JSON.stringify(last.asap?.distribution)}`,
    );
  }
  const w = records.wasm!;
  const g = records.webgpu!;
  const ids = (r: RunRecord, p: number) => r.panels[p]!.tokens.map((t) => t.id);
  expect(ids(g, 1)).toEqual(ids(w, 1));
  expect(ids(g, 3)).toEqual(ids(w, 3));
  console.log(
    `same seed, sampled GCD equal on both backends: ${JSON.stringify(ids(g, 2)) === JSON.stringify(ids(w, 2))}; ASAp equal: ${JSON.stringify(ids(g, 4)) === JSON.stringify(ids(w, 4))}`,
  );
  // The popover of a greedy GCD token: state, mask size, removed mass; ASAp: bars and samples.
  await page.getByTestId('panel-1').getByTestId('tokens').locator('[data-index="2"]').hover();
  await expect(page.getByTestId('grammar-allowed')).toContainText(/\d+ of 512/);
  await expect(page.getByTestId('grammar-removed')).toBeVisible();
  await expect(page.getByTestId('grammar-state')).toContainText('DFA state');
  await page.mouse.move(0, 0);
  const asapTokens = g.panels[4]!.tokens.length;
  await page
    .getByTestId('panel-4')
    .getByTestId('tokens')
    .locator(`[data-index="${asapTokens - 1}"]`)
    .hover();
  await expect(page.getByTestId('grammar-bars')).toBeVisible();
  await expect(page.getByTestId('grammar-state').filter({ hasText: 'ASAp (our interpretation)' })).toBeVisible();
});

test('cost: GCD per-token time and readback against greedy, each alone, on both backends', async ({ page }) => {
  test.setTimeout(120_000);
  await openDefault(page);
  for (const backend of ['wasm', 'webgpu'] as const) {
    const one = (params: object, strategy = 'grammar') =>
      apiRun(page, { prompt: PROMPT, maxNewTokens: 24, seed: 1, backend, model: 'builtin:stories260k', draft: null, panels: [{ strategy, params }] as never });
    await one({}, 'greedy'); // warm-up (and the fused sampler's pipelines, compiled on first use)
    await one({ regex: REGEX, temperature: 0 });
    const g = (await one({}, 'greedy')).panels[0]!;
    const smp = (await one({ temperature: 1 }, 'sample')).panels[0]!;
    const m = (await one({ regex: REGEX, temperature: 0 })).panels[0]!;
    const a = (await one({ regex: REGEX, asap: 1, samples: 4, temperature: 1 })).panels[0]!;
    const ms = (await one({ regex: REGEX, temperature: 1 })).panels[0]!;
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) =>
      `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B/token`;
    console.log(
      `cost on ${backend}: greedy ${per(g.stats)}; GCD greedy ${per(m.stats)} (${m.stats.newTokens} tokens); sample T=1 ${per(smp.stats)}; GCD T=1 ${per(ms.stats)} (${ms.stats.newTokens} tokens); ASAp(4) ${per(a.stats)} (emitted ${a.stats.newTokens}, ${a.tokens.at(-1)!.annotations && (a.tokens.at(-1)!.annotations as GrammarAnnotations).asap?.forwards} forwards for 4 samples)`,
    );
    expect(m.tokens.length).toBeGreaterThan(0);
  }
});

test('a bad regex or schema is refused with what is wrong', async ({ page }) => {
  await openDefault(page);
  const run = (params: object) =>
    apiRun(page, {
      prompt: PROMPT,
      maxNewTokens: 4,
      seed: 1,
      backend: 'wasm',
      model: 'builtin:stories260k',
      draft: null,
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'grammar', params },
      ] as never,
    });
  await expect(run({ regex: '(a|b' })).rejects.toThrow(/regex: missing "\)" at position 4/);
  await expect(run({ regex: '^a' })).rejects.toThrow(/anchors are not supported/);
  await expect(run({ regex: '', jsonSchema: '{"type":"array"}' })).rejects.toThrow(/only type "object"/);
  await expect(run({ asap: 1, temperature: 0 })).rejects.toThrow(/ASAp samples: set temperature > 0/);
});

test('step mode: the logit lab shows the mask-only row and the masked chain, with the grammar-mask stage', async ({ page }) => {
  await page.goto('/?model=builtin:stories260k&panels=grammar&prompt=Once%20upon%20a%20time&mode=step&backend=wasm');
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  type Entry = {
    lab: { rows: { label?: string; stages: { id: string; probs: number[]; kept: number | null }[]; chosen: number }[] } | null;
    tokens: { id: number }[];
  };
  let entries: Entry[] = [];
  for (let i = 0; i < 3; i++) entries = await page.evaluate(() => window.logitscope.step() as never);
  const rows = entries[0]!.lab!.rows;
  expect(rows.map((r) => r.label)).toEqual(['mask only', 'masked chain']);
  expect(rows[1]!.stages.map((s) => s.id).slice(0, 2)).toEqual(['raw', 'allow']);
  expect(rows[1]!.chosen).toBe(entries[0]!.tokens.at(-1)!.id);
  // The first token must be ",": the mask keeps one token of 512.
  const allow = rows[1]!.stages[1]!;
  if (allow.kept !== null) expect(allow.kept).toBeLessThan(512);
  await expect(page.getByTestId('logit-lab-0').locator('th[data-stage="allow"]')).toBeVisible();
});
