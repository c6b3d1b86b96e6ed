// CAAD / RAD retrieval (ALGORITHMS §6.9) on the trained built-in model in the page, on WASM and on
// WebGPU, with the real tokenizer and real last_hidden_state: λ = 0 is greedy; a pasted reference
// is reproduced after a prompt that starts it; at the defaults (the bundled pirate tales) the store
// is built, the popover shows the retrieved neighbours and the legend lists the colours, and each
// step reads back at most 4 KB; a run with no references says so in the page.
import { expect, test } from '@playwright/test';
import { openDefault, panelIds, storiesRun, waitForState } from './helpers';
import type { CaadAnnotations, RunRecord } from '../protocol';

const PROMPT = 'Once upon a time';
const REFERENCE = 'Once upon a time, a purple dog sang to the moon every night.';

const ids = panelIds;
const text = (r: RunRecord, panel: number) => r.panels[panel]!.tokens.map((t) => t.text).join('');

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: λ = 0 is greedy, a pasted reference is reproduced, the defaults retrieve from the pirate tales`, async ({ page }) => {
    test.setTimeout(240_000); // WebGPU on the software adapter: the store's build takes about 10 s
    await openDefault(page);
    const r: RunRecord = await storiesRun(page, backend, 40, [
      { strategy: 'greedy', params: {} },
      { strategy: 'caad', params: { lambda: 0 } },
      { strategy: 'caad', params: { lambda: 20, corpusName: 'none', corpus: REFERENCE } },
      { strategy: 'caad', params: {} },
    ]);
    expect(r.model.backend).toBe(backend);
    expect(r.panels.map((p) => p.error ?? null)).toEqual([null, null, null, null]);
    expect(ids(r, 0).length).toBe(40);
    expect(ids(r, 1)).toEqual(ids(r, 0));
    // The reference's continuation, which greedy alone does not write.
    expect(text(r, 2).startsWith(REFERENCE.slice(PROMPT.length))).toBe(true);
    expect(text(r, 0).startsWith(REFERENCE.slice(PROMPT.length))).toBe(false);
    const ref = r.panels[2]!.tokens.map((t) => t.annotations as CaadAnnotations);
    expect(ref[0]!.store).toMatchObject({ references: 1, capped: false });
    expect(ref[0]!.neighbours[0]!.similarity).toBeGreaterThan(0.99);

    const ann = r.panels[3]!.tokens.map((t) => t.annotations as CaadAnnotations);
    const store = ann[0]!.store!;
    expect(store.references).toBe(18);
    expect(store.entries).toBeGreaterThan(500);
    expect(store.dim).toBeGreaterThan(0);
    const active = ann.filter((a) => a.provenance !== 'no retrieval');
    const flipped = ann.filter((a) => a.provenance === 'flipped by retrieval').length;
    expect(active.length).toBeGreaterThan(0);
    for (const a of active) {
      expect(a.neighbours.length).toBeGreaterThan(0);
      expect(a.neighbours.length).toBeLessThanOrEqual(8);
      expect(a.neighbours.every((n) => n.similarity >= 0.6)).toBe(true);
      expect(a.neighbours.reduce((s, n) => s + n.weight, 0)).toBeCloseTo(1, 6);
      expect(a.gate).toBeCloseTo(a.neighbours[0]!.similarity, 9);
    }
    ann.forEach((a, i) => {
      if (a.provenance !== 'flipped by retrieval') expect(a.modelChoice.id).toBe(r.panels[3]!.tokens[i]!.id);
    });
    // Readback per step on WebGPU (the store's one-time build aside) stays within 4 KB: the vocabulary
    // row never crosses. (On WASM the count is the bytes the CPU scans: whole rows.)
    const s = r.panels[3]!.stats;
    const g = r.panels[0]!.stats;
    // Panel 1 (λ = 0) built the pirate tales' store over the same model and μ: panel 3 reused it.
    expect(r.panels[1]!.tokens[0]!.annotations).toMatchObject({ store: { references: 18 } });
    expect((r.panels[1]!.tokens[0]!.annotations as CaadAnnotations).store!.reused).toBeUndefined();
    expect(store.reused).toBe(true);
    const perStep = s.readbackBytes / s.newTokens;
    if (backend === 'webgpu') expect(perStep).toBeLessThanOrEqual(4096);
    const per = (x: { wallMs: number; newTokens: number }) => (x.wallMs / x.newTokens).toFixed(2);
    console.log(
      `caad defaults on ${backend}, "${PROMPT}": ${active.length} of ${ann.length} tokens retrieved, ${flipped} flipped; store ${store.entries} positions × d ${store.dim} built by panel 1 in ${store.buildMs.toFixed(0)} ms (${store.readbackBytes} B read back) and reused; ` +
        `caad ${per(s)} ms/token, ${perStep.toFixed(0)} B/step read back; greedy ${per(g)} ms/token, ${(g.readbackBytes / g.newTokens).toFixed(0)} B/token (same run); text: ${JSON.stringify(text(r, 3))}`,
    );
    // The page: the legend lists the colours; a retrieving token's popover shows the neighbours and the shift.
    await page.getByTestId('heatmap-provenance').check();
    await expect(page.getByTestId('legend')).toContainText('Flipped by retrieval');
    await expect(page.getByTestId('legend')).toContainText('Retrieval agreed with the model');
    const at = ann.findIndex((a) => a.provenance === 'flipped by retrieval');
    const shown = at >= 0 ? at : ann.findIndex((a) => a.provenance === 'agreed');
    await page.getByTestId('panel-3').getByTestId('tokens').locator(`[data-index="${shown}"]`).hover();
    await expect(page.getByTestId('caad-provenance')).toContainText(at >= 0 ? 'Flipped by retrieval' : 'retrieval agreed');
    if (at >= 0) await expect(page.getByTestId('caad-flipped-badge')).toBeVisible();
    await expect(page.getByTestId('caad-neighbour')).toHaveCount(ann[shown]!.neighbours.length);
    await expect(page.getByTestId('caad-shift').first()).toBeVisible();
    await expect(page.getByTestId('caad-gate')).toHaveText(ann[shown]!.gate.toFixed(3));
    await page.mouse.move(0, 0);
    await page.getByTestId('panel-3').getByTestId('tokens').locator('[data-index="0"]').hover();
    await expect(page.getByTestId('caad-store')).toContainText('reused by this one');
    await page.mouse.move(0, 0);

    // A second run over the same references builds nothing: the same tokens, the store reused.
    const again: RunRecord = await storiesRun(page, backend, 40, [{ strategy: 'caad', params: {} }]);
    expect(again.panels[0]!.error ?? null).toBe(null);
    expect(ids(again, 0)).toEqual(ids(r, 3));
    expect((again.panels[0]!.tokens[0]!.annotations as CaadAnnotations).store).toMatchObject({ entries: store.entries, reused: true });
    if (backend === 'webgpu') expect(again.panels[0]!.stats.readbackBytes / again.panels[0]!.stats.newTokens).toBeLessThanOrEqual(4096);
  });
}

test('the panel explains itself with the interpretation badge, and a run with no references says what is missing', async ({ page }) => {
  await page.goto(`/?model=builtin:stories260k&backend=wasm&max=8&prompt=${encodeURIComponent(PROMPT)}&panels=greedy,caad(corpusName=none)`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('panel-1').getByTestId('interpretation-badge')).toBeVisible();
  await page.getByTestId('generate').click();
  await waitForState(page, ['done', 'error']);
  await expect(page.getByText(/CAAD needs references/).first()).toBeVisible();
  await expect(page.getByTestId('panel-1').getByText('No tokens: this panel stopped with the error above.')).toBeVisible();
  await expect(page.getByTestId('panel-0').getByTestId('tokens').locator('[data-index="7"]')).toBeVisible();
});
