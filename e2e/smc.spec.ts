// SMC reward-guided decoding (docs/algorithms.md#smc) in real Chromium on the trained built-in
// stories260K, on WASM and WebGPU: one particle with the likelihood reward is `sample` with the same
// seed (the proposal draws use the run's uniform stream in the same order, and no resampling uniform
// is drawn with N = 1); the keyword reward "cat" finishes with valid annotations (ESS in [1, N]) and
// the same tokens on both backends; the live lineage view and the popover render; a bad regex is
// refused with a clear message.
import { expect, test } from '@playwright/test';
import { openDefault, panelIds, storiesRun } from './helpers';
import type { RunRecord, SmcAnnotations } from '../protocol';

test.describe.configure({ mode: 'serial' });

const N = 8;
const MAX = 24;
/** Words the stories model writes early, so the weights part and the particles resample ("cat", "dog", "ball", "happy" never showed in 24 tokens at seed 3). */
const KEYWORDS = 'play, Tom, friends, toys';
const byBackend: Record<string, number[]> = {};
const draftByBackend: Record<string, number[]> = {};

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: one particle is sampling; a keyword reward finishes with valid annotations, the live lineage and the popover`, async ({ page }) => {
    await openDefault(page);
    const rec: RunRecord = await storiesRun(
      page,
      backend,
      MAX,
      [
        { strategy: 'greedy', params: {} },
        { strategy: 'sample', params: { temperature: 1 } },
        { strategy: 'smc', params: { particles: 1, reward: 'likelihood', rewardText: '' } },
        { strategy: 'smc', params: { particles: N, reward: 'keyword', rewardText: KEYWORDS, essThreshold: 0.9 } },
        { strategy: 'smc', params: { particles: N, reward: 'keyword', rewardText: KEYWORDS, essThreshold: 0.9, proposal: 'draft' } },
      ],
      { seed: 3, draft: 'builtin:stories-draft' },
    );
    expect(rec.model.backend).toBe(backend);
    for (const p of rec.panels) expect(p.error, `${p.strategy}: ${p.error}`).toBeUndefined();
    expect(panelIds(rec, 2)).toEqual(panelIds(rec, 1));
    const ann = rec.panels[3]!.tokens.map((t) => t.annotations as SmcAnnotations);
    expect(ann.length).toBeGreaterThan(0);
    ann.forEach((a, i) => {
      expect(a.kind).toBe('smc');
      expect(a.step).toBe(i);
      expect(a.lanes).toHaveLength(N);
      expect(a.ess).toBeGreaterThanOrEqual(1);
      expect(a.ess).toBeLessThanOrEqual(N);
      expect(Math.abs(a.lanes.reduce((s, l) => s + l.weight, 0) - 1)).toBeLessThan(1e-9);
    });
    const last = ann.at(-1)!;
    expect(last.final).toHaveLength(N);
    expect(last.final!.filter((f) => f.output)).toHaveLength(1);
    expect(last.final!.find((f) => f.output)!.text).toBe(rec.panels[3]!.text);
    expect(last.essTrace!.every((e) => e >= 1 && e <= N)).toBe(true);
    // Deterministic at this seed: the keywords part the weights and the particles resample.
    expect(last.resampledAt!.length).toBeGreaterThan(0);
    const s = rec.panels[3]!.stats;
    const g = rec.panels[0]!.stats;
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) => `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    const distinct = new Set(last.final!.map((f) => f.text)).size;
    console.log(
      `smc N=${N} keyword "${KEYWORDS}" on ${backend}, seed 3: ${last.resampledAt!.length} resamplings (after steps ${last.resampledAt!.map((x) => x + 1).join(',')}), ESS trace ${last.essTrace!.map((e) => e.toFixed(2)).join(' ')}; ` +
        `${distinct} distinct final texts; output weight ${(100 * last.final!.find((f) => f.output)!.weight).toFixed(1)} %, reward ${last.final!.find((f) => f.output)!.reward}; target forwards ${s.targetForwards} for ${s.newTokens} tokens; smc ${per(s)} vs greedy ${per(g)}; text ${JSON.stringify(rec.panels[3]!.text)}`,
    );
    console.log(last.final!.map((f) => `${f.weight.toFixed(3)} ${JSON.stringify(f.text)}`).join('\n'));
    byBackend[backend] = panelIds(rec, 3);
    // The draft proposal: the draft draws, the target scores; one forward of each per step.
    const dAnn = rec.panels[4]!.tokens.map((t) => t.annotations as SmcAnnotations);
    const dLast = dAnn.at(-1)!;
    expect(dAnn.every((a) => a.kind === 'smc' && a.proposal === 'draft' && a.ess >= 1 && a.ess <= N)).toBe(true);
    expect(dAnn.some((a) => a.lanes.some((l) => l.id !== null && l.dw !== 0))).toBe(true);
    const ds = rec.panels[4]!.stats;
    expect(ds.draftForwards).toBe(ds.targetForwards);
    console.log(
      `smc N=${N} draft proposal on ${backend}, seed 3: ${dLast.resampledAt!.length} resamplings, ESS trace ${dLast.essTrace!.map((e) => e.toFixed(2)).join(' ')}; target ${ds.targetForwards} + draft ${ds.draftForwards} forwards for ${ds.newTokens} tokens; ${per(ds)}; text ${JSON.stringify(rec.panels[4]!.text)}`,
    );
    draftByBackend[backend] = panelIds(rec, 4);
    // The live view: lineage fan, ESS trace, the final particles.
    const panel = page.getByTestId('panel-3');
    await expect(panel.getByTestId('smc-live-3')).toBeVisible();
    await expect(panel.getByTestId('smc-lineage-3').locator('line').first()).toBeAttached();
    await expect(panel.getByTestId('smc-live-3').getByTestId('smc-completions').locator('li')).toHaveCount(N);
    await expect(panel.getByTestId('interpretation-badge')).toBeVisible();
    // The popover of the last token: the step's particles, the lineage and the final weighted set.
    await panel.getByTestId('tokens').locator(`[data-index="${ann.length - 1}"]`).hover();
    const detail = page.getByTestId('popover-detail');
    await expect(detail.getByTestId('smc-lanes').locator('tbody tr')).toHaveCount(N);
    await expect(detail.getByTestId('smc-ess-value')).toContainText(`of ${N}`);
    await expect(detail.getByTestId('smc-lineage-detail')).toBeVisible();
    await expect(detail.getByTestId('smc-summary')).toContainText('resampled');
  });
}

test('the keyword runs (target and draft proposals) give the same tokens on WASM and WebGPU', () => {
  expect(byBackend.wasm).toBeDefined();
  expect(byBackend.webgpu).toEqual(byBackend.wasm);
  expect(draftByBackend.wasm).toBeDefined();
  expect(draftByBackend.webgpu).toEqual(draftByBackend.wasm);
});

test('a bad regex is refused with a clear message; a regex that forbids everything fails the panel', async ({ page }) => {
  await openDefault(page);
  const rec: RunRecord = await storiesRun(page, 'wasm', 4, [
    { strategy: 'greedy', params: {} },
    { strategy: 'smc', params: { reward: 'regex', rewardText: '(' } },
    { strategy: 'smc', params: { particles: 2, reward: 'regex', rewardText: '[\\s\\S]' } },
  ]);
  expect(rec.panels[0]!.tokens.length).toBe(4);
  expect(rec.panels[1]!.error ?? '').toContain('rewardText: not a valid regular expression');
  expect(rec.panels[2]!.error ?? '').toContain('every particle has weight −∞ after step 1');
  await expect(page.getByTestId('panel-1').getByTestId('panel-error')).toContainText('not a valid regular expression');
});
