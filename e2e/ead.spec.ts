// EAD, entropy-adaptive model switching (issue #13 item 5), on the trained built-in pair in the
// page, on WASM and on WebGPU: a threshold above log2(vocabulary) is the draft's greedy decoding,
// starting with the target and never switching down is the target's; at the defaults both models
// write, each token's popover names its model, and the provenance legend lists both.
import { expect, test } from '@playwright/test';
import { apiRun, openDefault, panelIds } from './helpers';
import type { EadAnnotations, RunRecord } from '../protocol';

const PAIR = { model: 'builtin:stories260k', draft: 'builtin:stories-draft' };
const PROMPT = 'Once upon a time';

const ids = panelIds;

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: the oracles hold, and at the defaults both models write`, async ({ page }) => {
    await openDefault(page);
    const run = (o: object) => apiRun(page, { prompt: PROMPT, maxNewTokens: 40, seed: 1, backend, ...o });
    const draftGreedy: RunRecord = await run({ model: PAIR.draft, draft: null, panels: [{ strategy: 'greedy', params: {} }] });
    const pair: RunRecord = await run({
      ...PAIR,
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'ead', params: { threshold: 20 } },
        { strategy: 'ead', params: { threshold: 0, thresholdDown: 0, start: 'target', minDwell: 0 } },
        { strategy: 'ead', params: {} },
      ],
    });
    expect(pair.model.backend).toBe(backend);
    // threshold 20 bits > log2(512): never leaves the draft.
    expect(ids(pair, 1)).toEqual(ids(draftGreedy, 0));
    expect(pair.panels[1]!.stats.targetForwards).toBe(0);
    // Start with the target and never hand back: the target's greedy decoding.
    expect(ids(pair, 2)).toEqual(ids(pair, 0));
    expect(pair.panels[2]!.stats.draftForwards).toBe(0);
    // The defaults: both models write; one forward of the active model per token.
    const ann = pair.panels[3]!.tokens.map((t) => t.annotations as EadAnnotations);
    const fromTarget = ann.filter((a) => a.model === 'target').length;
    expect(fromTarget).toBeGreaterThan(0);
    expect(fromTarget).toBeLessThan(ann.length);
    const s = pair.panels[3]!.stats;
    expect(s.targetForwards + s.draftForwards).toBe(s.newTokens);
    const g = pair.panels[0]!.stats;
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) => `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    console.log(
      `EAD defaults on ${backend}, "${PROMPT}", ${ann.length} tokens: ${fromTarget} from the target (${((100 * fromTarget) / ann.length).toFixed(1)} %), target forwards per token ${(s.targetForwards / s.newTokens).toFixed(3)}, switches ${ann.filter((a) => a.switchTo).length}; EAD ${per(s)} vs greedy ${per(g)} (same run)`,
    );
    // The page: each token's popover names its model; the legend lists both colours.
    await page.getByTestId('heatmap-provenance').check();
    await expect(page.getByTestId('legend')).toContainText('Written by the target (large) model');
    const at = ann.findIndex((a) => a.model === 'target');
    await page.getByTestId('panel-3').getByTestId('tokens').locator(`[data-index="${at}"]`).hover();
    await expect(page.getByTestId('ead-model')).toHaveText('Written by the target (large) model');
  });
}
