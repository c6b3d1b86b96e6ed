// Issue #13's closing link: six strategies side by side on the trained built-in pair from one link
// (greedy, beam(numBeams=4), dola, ead, ngram, sample(typicalP=0.9)), on WASM and on WebGPU. The
// link runs on load; every panel writes its tokens without an error, and the run's figures (ms per
// token against greedy in the same run, readback bytes per token, EAD's share of target tokens and
// target forwards per token) are printed for the notes (a benchmark, never asserted on time).
import { expect, test } from '@playwright/test';
import type { EadAnnotations, RunRecord } from '../protocol';

const PANELS = 'greedy,beam(numBeams=4),dola,ead,ngram,sample(typicalP=0.9)';
const N = 48;

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: the six-panel link runs every panel to its budget`, async ({ page }) => {
    test.setTimeout(300_000);
    const link = `/?model=builtin:stories260k&draft=builtin:stories-draft&backend=${backend}&max=${N}&seed=1&panels=${PANELS}&prompt=${encodeURIComponent('Once upon a time')}&run=1`;
    await page.goto(link);
    await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 240_000 });
    // Once more on the warm page, so the figures exclude loading and pipeline compiles.
    const r: RunRecord = await page.evaluate(() => window.logitscope.run() as never);
    expect(r.model.backend).toBe(backend);
    expect(r.panels.map((p) => p.strategy)).toEqual(['greedy', 'beam', 'dola', 'ead', 'ngram', 'sample']);
    expect(r.panels[1]!.params.numBeams).toBe(4);
    expect(r.panels[5]!.params.typicalP).toBe(0.9);
    for (const p of r.panels) {
      expect(p.error, `${p.strategy}: ${p.error}`).toBeUndefined();
      expect(p.tokens.length, p.strategy).toBeGreaterThan(0);
      expect(['eos', 'max']).toContain(p.stats.finishReason);
    }
    for (let i = 0; i < 6; i++) await expect(page.getByTestId(`panel-${i}`).getByTestId('tokens').locator('[data-index="0"]')).toBeVisible();
    const g = r.panels[0]!.stats;
    const msPer = (s: RunRecord['panels'][number]['stats']) => s.wallMs / Math.max(1, s.newTokens);
    const lines = r.panels.map((p) => `${p.strategy.padEnd(8)} ${msPer(p.stats).toFixed(2).padStart(8)} ms/token (${(msPer(p.stats) / msPer(g)).toFixed(2)}× greedy), ${(p.stats.readbackBytes / Math.max(1, p.stats.newTokens)).toFixed(0)} B/token, ${p.stats.newTokens} tokens, ${p.stats.targetForwards} target / ${p.stats.draftForwards} draft forwards`);
    const ead = r.panels[3]!;
    const fromTarget = ead.tokens.filter((t) => (t.annotations as EadAnnotations).model === 'target').length;
    lines.push(`ead: ${fromTarget} of ${ead.tokens.length} tokens from the target (${((100 * fromTarget) / ead.tokens.length).toFixed(0)}%), ${(ead.stats.targetForwards / ead.tokens.length).toFixed(2)} target forwards per token`);
    console.log(`six panels on ${backend} (${r.model.backend}), "Once upon a time", ${N} tokens, second run:\n${lines.join('\n')}`);
  });
}
