// n-gram style injection (issue #13 item 6) on the trained built-in model in the page, on WASM and
// on WebGPU, with the real tokenizer counting the style text: λ = 0 is greedy; one pasted sentence
// with a large λ is reproduced after a prompt that starts it; at the defaults (the bundled pirate
// tales) the style prior flips some tokens, the popover says so, and the legend lists the colour.
import { expect, test } from '@playwright/test';
import { apiRun, openDefault, panelIds } from './helpers';
import type { NgramAnnotations, RunRecord } from '../protocol';

const PROMPT = 'Once upon a time';
const SENTENCE = 'Once upon a time, a purple dog sang to the moon every night.';

const ids = panelIds;
const text = (r: RunRecord, panel: number) => r.panels[panel]!.tokens.map((t) => t.text).join('');

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: λ = 0 is greedy, a large λ reproduces the style text, and the defaults flip some tokens`, async ({ page }) => {
    await openDefault(page);
    const run = (o: object) => apiRun(page, { prompt: PROMPT, maxNewTokens: 40, seed: 1, backend, model: 'builtin:stories260k', draft: null, ...o });
    const r: RunRecord = await run({
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'ngram', params: { lambda: 0 } },
        { strategy: 'ngram', params: { lambda: 20, corpusName: 'none', corpus: `${SENTENCE}\n\n${SENTENCE}` } },
        { strategy: 'ngram', params: {} },
      ],
    });
    expect(r.model.backend).toBe(backend);
    expect(ids(r, 1)).toEqual(ids(r, 0));
    expect(ids(r, 0).length).toBe(40);
    // The style text's continuation, then whatever the prior makes of its end.
    expect(text(r, 2).startsWith(SENTENCE.slice(PROMPT.length))).toBe(true);
    expect(text(r, 0).startsWith(SENTENCE.slice(PROMPT.length))).toBe(false);
    const ann = r.panels[3]!.tokens.map((t) => t.annotations as NgramAnnotations);
    const flipped = ann.filter((a) => a.provenance === 'flipped by style').length;
    expect(flipped).toBeGreaterThan(0);
    expect(ann[0]!.corpus!.passages).toBe(18);
    expect(ann[0]!.corpus!.tokens).toBeGreaterThan(500);
    ann.forEach((a, i) => {
      expect(a.lift).toBeGreaterThanOrEqual(0);
      expect(a.processedProb).toBeGreaterThan(0);
      if (a.provenance === 'model choice') expect(a.modelChoice.id).toBe(r.panels[3]!.tokens[i]!.id);
    });
    // Before the first flip the panel is greedy's text.
    const firstFlip = ann.findIndex((a) => a.provenance === 'flipped by style');
    expect(ids(r, 3).slice(0, firstFlip)).toEqual(ids(r, 0).slice(0, firstFlip));
    expect(ann[firstFlip]!.modelChoice.id).toBe(ids(r, 0)[firstFlip]);
    const g = r.panels[0]!.stats;
    const s = r.panels[3]!.stats;
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) => `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    console.log(`ngram defaults on ${backend}, "${PROMPT}": ${flipped} of ${ann.length} tokens flipped by the pirate tales; ngram ${per(s)} vs greedy ${per(g)} (same run); text: ${JSON.stringify(text(r, 3))}`);
    // The page: the flipped token's popover says so; the legend lists the colour.
    await page.getByTestId('heatmap-provenance').check();
    await expect(page.getByTestId('legend')).toContainText('Flipped by the style prior');
    await page.getByTestId('panel-3').getByTestId('tokens').locator(`[data-index="${firstFlip}"]`).hover();
    await expect(page.getByTestId('ngram-provenance')).toContainText('Flipped by the style prior');
  });
}

test('a run with no style text says what is missing and keeps the other panels', async ({ page }) => {
  await openDefault(page);
  const r: RunRecord = await page.evaluate(() =>
    window.logitscope.run({
      prompt: 'Once upon a time',
      maxNewTokens: 8,
      seed: 1,
      backend: 'wasm',
      model: 'builtin:stories260k',
      draft: null,
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'ngram', params: { corpusName: 'none' } },
      ],
    } as never),
  );
  expect(r.panels[0]!.tokens.length).toBe(8);
  expect(r.panels[1]!.error ?? '').toMatch(/needs a style corpus/);
  expect(r.panels[1]!.tokens.length).toBe(0);
});

test('step mode: the logit lab shows the row with the style term (raw → sparse term) and the model alone, named', async ({ page }) => {
  await page.goto('/?model=builtin:stories260k&panels=ngram&prompt=Once%20upon%20a%20time&mode=step&backend=wasm');
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  type Entry = { lab: { rows: { label?: string; stages: { id: string; probs: number[] }[]; chosen: number; candidates: { id: number }[] }[] } | null; tokens: { id: number }[] };
  let entries: Entry[] = [];
  for (let i = 0; i < 3; i++) entries = await page.evaluate(() => window.logitscope.step() as never);
  const rows = entries[0]!.lab!.rows;
  expect(rows.map((r) => r.label)).toEqual(['model alone', 'with the style term']);
  expect(rows[0]!.stages.map((s) => s.id)).toEqual(['raw']);
  expect(rows[1]!.stages.map((s) => s.id)).toEqual(['raw', 'sparse']);
  expect(rows[1]!.chosen).toBe(entries[0]!.tokens.at(-1)!.id);
  // The style term moves probability: the two stages differ for some candidate.
  const [raw, sparse] = rows[1]!.stages;
  expect(raw!.probs.some((p, i) => Math.abs(p - sparse!.probs[i]!) > 1e-4)).toBe(true);
  const lab = page.getByTestId('logit-lab-0');
  await expect(lab.getByRole('button', { name: 'with the style term' })).toBeVisible();
  await expect(lab.locator('th[data-stage="sparse"]')).toBeVisible();
});
