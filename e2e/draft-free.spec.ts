// Draft-free speculation (docs/algorithms.md#token-recycling, #aded) in real Chromium on the trained
// built-in models, WASM and WebGPU: token recycling and ADED give greedy's tokens on a story prompt
// and on a repetitive one; the tokens per target pass (τ) of token recycling, ADED, prompt lookup and
// speculative decoding are logged; the popover shows the recycled matrix rows / the count rows, and
// provenance mode colours accepted drafts apart from the target's own tokens.
import { expect, test, type Page } from '@playwright/test';
import { apiRun, openDefault, panelIds } from './helpers';
import type { PanelRecord, PanelSpec, RunRecord, SpeculativeAnnotations } from '../protocol';

const PAIR = { model: 'builtin:stories260k', draft: 'builtin:stories-draft' };
const PROMPTS = { story: 'Once upon a time', repetitive: 'the cat sat on the mat. the cat sat on the mat. the cat' };
const N = 40;
const PANELS: PanelSpec[] = [
  { strategy: 'greedy', params: {} },
  { strategy: 'token-recycling', params: {} },
  { strategy: 'aded', params: {} },
  { strategy: 'prompt-lookup', params: {} },
  { strategy: 'speculative', params: { k: 4 } },
];

test.describe.configure({ mode: 'serial' });

const tau = (p: PanelRecord) => p.stats.newTokens / p.stats.targetForwards;

async function hoverToken(page: Page, panel: number, index: number) {
  await page.mouse.move(0, 0);
  await page.getByTestId(`panel-${panel}`).getByTestId('tokens').locator(`[data-index="${index}"]`).hover();
  return page.getByTestId('popover-detail');
}

async function checkPage(page: Page, rec: RunRecord): Promise<void> {
  // Token recycling (panel 1): the chain's matrix rows and the share of rows written.
  const tr = rec.panels[1]!.tokens[0]!.annotations as SpeculativeAnnotations;
  let detail = await hoverToken(page, 1, 0);
  await expect(detail.getByTestId('draft-chip')).toHaveCount(tr.drafts!.length);
  await expect(detail.getByTestId('recycled-row')).toHaveCount(tr.recycling!.rows.length);
  await expect(detail.getByTestId('recycling-written')).toContainText('Rows ever written');
  // A later iteration: the matrix knows the vocabulary by then.
  const later = rec.panels[1]!.tokens.findIndex((t, i) => i > 0 && (t.annotations as SpeculativeAnnotations).recycling);
  detail = await hoverToken(page, 1, later);
  await expect(detail.getByTestId('recycling-written')).toContainText(`of ${(rec.panels[1]!.tokens[later]!.annotations as SpeculativeAnnotations).recycling!.vocab}`);
  // ADED (panel 2): the count row behind each draft and the table's size.
  const ad = rec.panels[2]!.tokens[0]!.annotations as SpeculativeAnnotations;
  detail = await hoverToken(page, 2, 0);
  await expect(detail.getByTestId('aded-row')).toHaveCount(ad.aded!.rows.length);
  await expect(detail.getByTestId('aded-size')).toContainText(`${ad.aded!.trigrams} tri-gram contexts`);
  await page.mouse.move(0, 0);
  // Provenance: accepted drafts apart from the target's own tokens, legend included.
  await page.getByTestId('heatmap-provenance').check();
  await expect(page.getByTestId('legend')).toContainText('Draft accepted');
  for (const panel of [1, 2]) {
    const heats = await page.getByTestId(`panel-${panel}`).getByTestId('tokens').locator('.token').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.heat));
    const want = rec.panels[panel]!.tokens.map((t) => {
      const a = t.annotations as SpeculativeAnnotations;
      return a.drafted === 0 ? 'target-step' : a.fate === 'accepted' ? 'draft-accepted' : a.fate;
    });
    expect(heats).toEqual(want);
    expect(want).toContain('draft-accepted');
  }
  await page.getByTestId('heatmap-probability').check();
  // The "?" carries the interpretation badge.
  await expect(page.getByTestId('panel-1').getByTestId('interpretation-badge')).toBeVisible();
}

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: token recycling and ADED equal greedy on a story and a repetitive prompt; τ logged; popover detail`, async ({ page }) => {
    await openDefault(page);
    const lines: string[] = [];
    let last: RunRecord | null = null;
    if (backend === 'wasm') {
      // First (the page shows the last run): a longer story, cheap on WASM: token recycling's matrix warms up as more rows get written.
      const n = 160;
      const rec = await apiRun(page, { prompt: PROMPTS.story, maxNewTokens: n, seed: 1, backend, ...PAIR, panels: PANELS.slice(0, 4) });
      const greedy = panelIds(rec, 0);
      rec.panels.forEach((p, i) => expect(panelIds(rec, i), `${p.strategy}, ${n} tokens`).toEqual(greedy));
      const heads = rec.panels[1]!.tokens.map((t) => (t.annotations as SpeculativeAnnotations).recycling).filter((r) => r !== undefined);
      const end = heads.at(-1)!;
      for (const p of rec.panels.slice(1)) lines.push(`${backend} story prompt, ${n} tokens, ${p.strategy}: ${p.stats.targetForwards} target passes, tau ${tau(p).toFixed(2)}`);
      lines.push(`${backend} story prompt, ${n} tokens: token recycling wrote ${end.written} of ${end.vocab} matrix rows`);
    }
    for (const [name, prompt] of Object.entries(PROMPTS)) {
      const rec = await apiRun(page, { prompt, maxNewTokens: N, seed: 1, backend, ...PAIR, panels: PANELS });
      expect(rec.model.backend).toBe(backend);
      for (const p of rec.panels) expect(p.error, `${p.strategy}: ${p.error}`).toBeUndefined();
      const greedy = panelIds(rec, 0);
      expect(greedy.length).toBe(N);
      rec.panels.forEach((p, i) => expect(panelIds(rec, i), `${p.strategy} on the ${name} prompt`).toEqual(greedy));
      for (const p of rec.panels.slice(1)) {
        const a = p.tokens.at(-1)!.annotations as SpeculativeAnnotations;
        expect(tau(p)).toBeGreaterThanOrEqual(1);
        lines.push(
          `${backend} ${name} prompt ${p.strategy}: ${p.stats.newTokens} tokens in ${p.stats.targetForwards} target passes, tau ${tau(p).toFixed(2)} (annotation ${Number(a.tau).toFixed(2)}), alpha ${a.alpha === null ? '-' : a.alpha.toFixed(2)}, ${(p.stats.wallMs / p.stats.newTokens).toFixed(1)} ms/token, ${(p.stats.readbackBytes / p.stats.newTokens).toFixed(0)} B/token read back`,
        );
      }
      const g = rec.panels[0]!.stats;
      lines.push(`${backend} ${name} prompt greedy: ${(g.wallMs / g.newTokens).toFixed(1)} ms/token, ${(g.readbackBytes / g.newTokens).toFixed(0)} B/token read back`);
      if (name === 'repetitive') {
        // Repetitive text: both draft-free methods save target passes.
        expect(tau(rec.panels[1]!)).toBeGreaterThan(1);
        expect(tau(rec.panels[2]!)).toBeGreaterThan(1);
      }
      last = rec;
    }
    for (const l of lines) console.log(l);
    await checkPage(page, last!);
  });
}

test('sampling and a penalty go through the processor chain: same tokens on WASM and WebGPU, penalised greedy kept', async ({ page }) => {
  await openDefault(page);
  const panels: PanelSpec[] = [
    { strategy: 'token-recycling', params: { temperature: 0.8, topK: 20 } },
    { strategy: 'aded', params: { temperature: 0.8, topK: 20 } },
    { strategy: 'greedy', params: { repetitionPenalty: 1.3 } },
    { strategy: 'token-recycling', params: { repetitionPenalty: 1.3 } },
    { strategy: 'aded', params: { repetitionPenalty: 1.3 } },
  ];
  const request = { prompt: PROMPTS.repetitive, maxNewTokens: 24, seed: 7, ...PAIR, panels };
  const wasm = await apiRun(page, { ...request, backend: 'wasm' });
  const gpu = await apiRun(page, { ...request, backend: 'webgpu' });
  expect(gpu.model.backend).toBe('webgpu');
  for (const rec of [wasm, gpu]) {
    for (const p of rec.panels) expect(p.error, `${p.strategy}: ${p.error}`).toBeUndefined();
    expect(panelIds(rec, 3)).toEqual(panelIds(rec, 2));
    expect(panelIds(rec, 4)).toEqual(panelIds(rec, 2));
    for (const i of [0, 1]) {
      const a = rec.panels[i]!.tokens.map((t) => t.annotations as SpeculativeAnnotations);
      expect(a.filter((x) => x.fate === 'accepted').every((x) => typeof x.r === 'number')).toBe(true);
      console.log(`${rec.model.backend} sampling ${rec.panels[i]!.strategy}: tau ${tau(rec.panels[i]!).toFixed(2)}`);
    }
  }
  // The GPU fusion is the integer-exact twin of the CPU one: the same seed, the same tokens.
  gpu.panels.forEach((p, i) => expect(panelIds(gpu, i), p.strategy).toEqual(panelIds(wasm, i)));
});

test('a bad chain length is refused with a clear message', async ({ page }) => {
  await openDefault(page);
  const rec = await apiRun(page, { prompt: 'Once upon a time', maxNewTokens: 4, seed: 1, backend: 'wasm', model: 'builtin:stories260k', draft: null, panels: [{ strategy: 'aded', params: { k: 40 } }] }).catch((e: Error) => e);
  expect(String(rec instanceof Error ? rec.message : JSON.stringify((rec as RunRecord).panels[0]!.error))).toMatch(/k must be an integer/);
});
