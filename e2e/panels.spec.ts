// Side-by-side comparison end to end (built-in target + draft, WebGPU): every panel kind streams,
// heatmap modes colour by their definitions, the popover shows the record's numbers, diff mode,
// CSV and JSON export, and import of the exported file into a fresh page with no model loaded.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { RunRecord, TokenRecord } from '../protocol';
import { csvRows, expectedProvenance, exported, luminance, recordToken, shownTokens } from './ui-helpers';

const PANELS = 'greedy,speculative(k=4;temperature=1),contrastive,contrastive-search,grad,cntp(maxTrials=3;trialCap=4)';
const QUERY = `?backend=webgpu&model=builtin:tiny-llama&draft=builtin:tiny-llama-draft&max=10&seed=3&panels=${PANELS}&prompt=Once%20upon%20a%20time`;
const KINDS = ['greedy', 'speculative', 'contrastive', 'contrastive-search', 'grad', 'cntp'];

test.describe.configure({ mode: 'serial' });

let page: Page;
let rec: RunRecord;

async function newPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true, viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  return context.newPage();
}

test.beforeAll(async ({ browser }, info) => {
  page = await newPage(browser, info.project.use.baseURL);
  await page.goto(`/${QUERY}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
});

test.afterAll(async () => {
  await page.context().close();
});

test('six panels of every kind render, stream live, and match the run record', async () => {
  await expect(page.locator('[data-testid^="panel-"][data-strategy]')).toHaveCount(6);
  await page.getByTestId('generate').click();
  // Streaming: tokens are on screen while the run is still going.
  await page.waitForFunction(
    () => document.querySelector('[data-testid=app]')?.getAttribute('data-run-state') === 'running' && document.querySelectorAll('.token').length > 0,
    null,
    { timeout: 240_000 },
  );
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 400_000 });
  rec = await exported(page);
  expect(rec.panels.map((p) => p.strategy)).toEqual(KINDS);
  for (const [i, p] of rec.panels.entries()) {
    expect(p.error, p.strategy).toBeUndefined();
    expect(p.tokens.length, p.strategy).toBeGreaterThan(0);
    const card = page.getByTestId(`panel-${i}`);
    await expect(card).toHaveAttribute('data-strategy', p.strategy);
    const spans = card.getByTestId('tokens').locator('.token');
    await expect(spans).toHaveCount(p.tokens.length);
    expect((await spans.allTextContents()).join('')).toBe(p.tokens.map((t) => t.text).join(''));
  }
  await expect(page.getByTestId('panel-4').getByTestId('interpretation-badge')).toHaveText('our interpretation');
  await expect(page.getByTestId('panel-0').getByTestId('interpretation-badge')).toHaveCount(0);
  // The speculative timeline shows every drafted token of every iteration.
  const drafts = rec.panels[1]!.tokens.flatMap((t) => (Array.isArray(t.annotations.drafts) ? (t.annotations.drafts as { fate: string }[]) : []));
  const chips = page.getByTestId('panel-1').getByTestId('speculative-timeline').getByTestId('draft-chip');
  const fates = await chips.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.fate));
  expect(fates.filter((f) => f === 'accepted' || f === 'rejected' || f === 'discarded')).toEqual(drafts.map((d) => d.fate));
  await expect(page.getByTestId('panel-1').locator('.chip-rejected s').first()).toBeVisible();
  for (const id of ['chart-entropy', 'chart-prob', 'chart-accepted', 'chart-histogram', 'chart-trials', 'chart-speed', 'chart-forwards'])
    await expect(page.getByTestId(id)).toBeVisible();
});

function monotone(points: { value: number; lum: number }[], clampAt = Infinity): void {
  const sorted = points.map((p) => ({ ...p, value: Math.min(p.value, clampAt) })).sort((a, b) => a.value - b.value);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    expect(b.lum).toBeGreaterThanOrEqual(a.lum - 1e-9);
    if (b.value - a.value > 0.02 * (Number.isFinite(clampAt) ? clampAt : 1)) expect(b.lum).toBeGreaterThan(a.lum);
  }
}

test('each heatmap mode colours tokens by its definition, checked against the record', async () => {
  const pick = async (mode: string) => {
    await page.getByTestId(`heatmap-${mode}`).check();
    await expect(page.getByTestId('legend')).toHaveAttribute('data-mode', mode);
    return shownTokens(page);
  };
  const prob = await pick('probability');
  prob.forEach((t) => expect(Number(t.heat)).toBeCloseTo(recordToken(rec, t).prob, 9));
  monotone(prob.map((t) => ({ value: recordToken(rec, t).prob, lum: luminance(t.background) })));

  const surprisal = await pick('surprisal');
  surprisal.forEach((t) => expect(Number(t.heat)).toBeCloseTo(-recordToken(rec, t).logprob, 9));
  monotone(
    surprisal.map((t) => ({ value: -recordToken(rec, t).logprob, lum: luminance(t.background) })),
    8,
  );
  // Surprisal runs opposite to probability: the most probable token is darker than the least probable.
  const byProb = [...surprisal].sort((a, b) => recordToken(rec, a).prob - recordToken(rec, b).prob);
  expect(luminance(byProb[0]!.background)).toBeGreaterThan(luminance(byProb[byProb.length - 1]!.background));

  const entropy = await pick('entropy');
  entropy.forEach((t) => expect(Number(t.heat)).toBeCloseTo(recordToken(rec, t).entropy, 9));
  monotone(
    entropy.map((t) => ({ value: recordToken(rec, t).entropy, lum: luminance(t.background) })),
    8,
  );

  const rank = await pick('rank');
  const rankOf = (t: TokenRecord) => {
    const i = t.top.findIndex((e) => e.id === t.id);
    return i < 0 ? Infinity : i + 1;
  };
  const bucket = (r: number) => (r <= 3 ? r : r <= 5 ? 4 : r <= 10 ? 6 : 11);
  const colorOfBucket = new Map<number, string>();
  for (const t of rank) {
    const r = rankOf(recordToken(rec, t));
    expect(Number(t.heat)).toBe(r);
    const b = bucket(r);
    if (!colorOfBucket.has(b)) colorOfBucket.set(b, t.background);
    expect(t.background).toBe(colorOfBucket.get(b));
  }
  expect(new Set(colorOfBucket.values()).size).toBe(colorOfBucket.size);
  const buckets = [...colorOfBucket.entries()].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < buckets.length; i++) expect(luminance(buckets[i]![1])).toBeLessThan(luminance(buckets[i - 1]![1]));

  const prov = await pick('provenance');
  const colorOfGroup = new Map<string, string>();
  for (const t of prov) {
    const g = expectedProvenance(recordToken(rec, t));
    if (!colorOfGroup.has(g)) colorOfGroup.set(g, t.background);
    expect(t.background, `${g} at panel ${t.panel} token ${t.index}`).toBe(colorOfGroup.get(g));
  }
  expect(new Set(colorOfGroup.values()).size).toBe(colorOfGroup.size);
  // This run has events of several families; each shows up with its own colour.
  expect([...colorOfGroup.keys()].filter((g) => g !== 'grey' && g !== 'pale').length).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('legend').getByTestId('legend-item')).not.toHaveCount(0);
  await page.getByTestId('heatmap-probability').check();
});

async function openPopover(panel: number, index: number): Promise<ReturnType<Page['getByTestId']>> {
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  const tok = page.getByTestId(`panel-${panel}`).getByTestId('tokens').locator(`.token[data-index="${index}"]`);
  await tok.click();
  const pop = page.getByTestId('token-popover');
  await expect(pop).toBeVisible();
  return pop;
}

const fmt = (p: number) => (p !== 0 && Math.abs(p) < 1e-3 ? p.toExponential(2) : p.toFixed(3));

test('the popover shows the record’s numbers and each strategy’s detail', async () => {
  // Greedy: probability, rank, entropy and ten alternatives.
  let pop = await openPopover(0, 1);
  const g = rec.panels[0]!.tokens[1]!;
  await expect(pop.getByTestId('popover-prob')).toHaveText(fmt(g.prob));
  await expect(pop.getByTestId('popover-rank')).toContainText(`${g.top.findIndex((e) => e.id === g.id) + 1} of ${g.top.length}`);
  await expect(pop.getByTestId('popover-entropy')).toContainText(g.entropy.toFixed(2));
  await expect(pop.getByTestId('popover-alt')).toHaveCount(10);

  // Speculative: p vs q and the acceptance draw of an accepted draft, or the rejected draft's.
  const spec = rec.panels[1]!.tokens;
  const acc = spec.findIndex((t) => t.annotations.fate === 'accepted');
  const res = spec.findIndex((t) => t.annotations.fate === 'resampled');
  expect(acc >= 0 || res >= 0).toBe(true);
  if (acc >= 0) {
    const a = spec[acc]!.annotations as { p: number; q: number; r: number };
    pop = await openPopover(1, acc);
    await expect(pop.getByTestId('spec-fate')).toHaveAttribute('data-fate', 'accepted');
    await expect(pop.getByTestId('spec-p')).toHaveText(fmt(a.p));
    await expect(pop.getByTestId('spec-q')).toHaveText(fmt(a.q));
    await expect(pop.getByTestId('spec-ratio')).toHaveText(fmt(Math.min(1, a.p / a.q)));
    await expect(pop.getByTestId('spec-r')).toContainText(`${fmt(a.r)} < ratio: accept`);
  }
  if (res >= 0) {
    pop = await openPopover(1, res);
    await expect(pop.getByTestId('spec-fate')).toHaveAttribute('data-fate', 'resampled');
    await expect(pop.getByTestId('spec-r')).toContainText('≥ ratio: reject');
  }

  // Contrastive decoding: expert vs amateur probabilities.
  const cd = rec.panels[2]!.tokens[1]!.annotations as { expert: { prob: number }; amateur: { prob: number } };
  pop = await openPopover(2, 1);
  await expect(pop.getByTestId('cd-expert-prob')).toHaveText(fmt(cd.expert.prob));
  await expect(pop.getByTestId('cd-amateur-prob')).toHaveText(fmt(cd.amateur.prob));

  // Contrastive search: its k candidates, the chosen one marked.
  const cs = rec.panels[3]!.tokens[0]!.annotations as { candidates: unknown[]; chosenRank: number };
  pop = await openPopover(3, 0);
  await expect(pop.getByTestId('cs-candidate')).toHaveCount(cs.candidates.length);
  await expect(pop.getByTestId('cs-candidate').nth(cs.chosenRank)).toHaveAttribute('aria-current', 'true');

  // GRAD: the graph row of the previous token.
  const gr = rec.panels[4]!.tokens[0]!.annotations as { successors: unknown[]; provenance: string };
  pop = await openPopover(4, 0);
  await expect(pop.getByTestId('grad-successor')).toHaveCount(gr.successors.length);
  await expect(pop.getByTestId('grad-provenance')).toContainText(gr.provenance === 'flipped by graph' ? 'Flipped' : /agreed|No graph row/);

  // CNTP: the trials with their perplexities, on a later token of the winning trial too.
  const cn = rec.panels[5]!.tokens;
  const head = cn.findIndex((t) => Array.isArray(t.annotations.trials));
  if (head >= 0) {
    const trials = cn[head]!.annotations.trials as { perplexity: number }[];
    const later = cn[head + 1]?.annotations.trialToken === 1 ? head + 1 : head;
    pop = await openPopover(5, later);
    await expect(pop.getByTestId('cntp-trial')).toHaveCount(trials.length);
    const ppl = await pop.getByTestId('cntp-trial').allTextContents();
    trials.forEach((t, i) => expect(ppl[i]).toContain(`PPL ${t.perplexity.toFixed(2)}`));
    await expect(pop.getByTestId('cntp-trial').nth(cn[head]!.annotations.winner as number)).toHaveAttribute('aria-current', 'true');
  }
  await page.keyboard.press('Escape');
});

test('diff mode marks where each panel departs from the greedy panel', async () => {
  await page.getByTestId('diff-toggle').check();
  await expect(page.getByTestId('legend')).toHaveAttribute('data-mode', 'diff');
  const greedy = rec.panels[0]!.tokens.map((t) => t.id);
  const shown = await shownTokens(page);
  for (const [i, p] of rec.panels.entries()) {
    const n = Math.min(p.tokens.length, greedy.length);
    const at = p.tokens.slice(0, n).findIndex((t, j) => t.id !== greedy[j]);
    const d = at < 0 ? null : at;
    const marks = shown.filter((t) => t.panel === i).map((t) => t.diff);
    marks.forEach((m, j) => expect(m).toBe(d === null || j < d ? 'same' : j === d ? 'departure' : 'after'));
    if (i > 0) await expect(page.getByTestId(`panel-${i}`).getByTestId('diff-summary')).toContainText(d === null ? 'Same as greedy' : `at token ${d + 1}`);
  }
  await page.getByTestId('diff-toggle').uncheck();
});

test('CSV export has one row per token with the record’s numbers', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^logitscope-run-.*\.csv$/);
  const rows = csvRows(readFileSync(await download.path(), 'utf8'));
  const header = rows[0]!;
  const col = (n: string) => header.indexOf(n);
  const body = rows.slice(1);
  expect(body).toHaveLength(rec.panels.reduce((n, p) => n + p.tokens.length, 0));
  for (const r of body) {
    expect(r).toHaveLength(header.length);
    const t = recordToken(rec, { panel: Number(r[col('panel')]), index: Number(r[col('index')]) });
    expect(Number(r[col('token_id')])).toBe(t.id);
    expect(Number(r[col('prob')])).toBe(t.prob);
    expect(Number(r[col('entropy')])).toBe(t.entropy);
    expect(JSON.parse(r[col('annotations')]!)).toEqual(t.annotations);
  }
});

test('export → import in a fresh page shows the same tokens and numbers with no model loaded', async ({ browser }, info) => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const file = await download.path();
  const fresh = await newPage(browser, info.project.use.baseURL);
  const modelFetches: string[] = [];
  // No model is loaded: no ONNX file is fetched (the prompt's token view reads the built-in
  // tokenizers' JSON files to show the chips; that is not loading a model).
  fresh.on('request', (r) => {
    if (/\.onnx/.test(r.url())) modelFetches.push(r.url());
  });
  await fresh.goto('/');
  await expect(fresh.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await fresh.getByTestId('import-file').setInputFiles(file);
  await expect(fresh.getByTestId('imported-banner')).toContainText('builtin:tiny-llama');
  const shown = await shownTokens(fresh);
  expect(shown).toHaveLength(rec.panels.reduce((n, p) => n + p.tokens.length, 0));
  for (const t of shown) {
    const r = recordToken(rec, t);
    expect(t.text).toBe(r.text);
    expect(t.prob).toBe(r.prob);
  }
  await fresh.getByTestId('panel-1').getByTestId('tokens').locator('.token').first().click();
  await expect(fresh.getByTestId('token-popover').getByTestId('popover-prob')).toHaveText(fmt(rec.panels[1]!.tokens[0]!.prob));
  expect(await exported(fresh)).toEqual(rec);
  expect(modelFetches).toEqual([]);
  expect(await fresh.evaluate(() => window.logitscope.loadedModels())).toEqual([]);
  await expect(fresh.getByTestId('app')).toHaveAttribute('data-run-state', 'done');
  await fresh.context().close();
});

test('a malformed or wrong-version run file is explained, and nothing changes', async () => {
  const before = await shownTokens(page);
  const load = async (name: string, text: string) => {
    await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    return page.getByTestId('import-error');
  };
  await expect(await load('v2.json', JSON.stringify({ ...rec, version: 2 }))).toContainText('version 2; this Logitscope reads version 1 only');
  await expect(await load('broken.json', '{"format": "logitscope-run", ')).toContainText('not valid JSON');
  const bad = structuredClone(rec) as unknown as { panels: { tokens: { prob: unknown; text: unknown }[] }[] };
  bad.panels[2]!.tokens[3]!.prob = 7;
  bad.panels[0]!.tokens[0]!.text = { html: '<img src=x onerror="window.__bad=1">' };
  const err = await load('bad.json', JSON.stringify(bad));
  await expect(err).toContainText('panels[2].tokens[3].prob must be a number from 0 to 1, got 7');
  await expect(err).toContainText('panels[0].tokens[0].text must be text, got an object');
  expect(await shownTokens(page)).toEqual(before);
  await expect(page.getByTestId('imported-banner')).toHaveCount(0);
});
