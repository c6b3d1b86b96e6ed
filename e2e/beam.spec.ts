// Beam search and diverse beam search (issue #13 item 2) on the trained built-in model in the page,
// on WASM and on WebGPU: one beam is greedy; with four, the text is the best finished hypothesis
// (its log-probabilities add up to S, ranked by S / ℓ^λ), every token appears once all hypotheses
// agree on it, and the popover lists the step's candidates with the output's row marked.
import { expect, test } from '@playwright/test';
import { openDefault, panelIds, storiesRun } from './helpers';
import type { BeamAnnotations } from '../protocol';

const PROMPT = 'Once upon a time';

const ids = panelIds;

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`${backend}: one beam is greedy; four beams give the best finished hypothesis; groups run`, async ({ page }) => {
    await openDefault(page);
    const r = await storiesRun(page, backend, 40, [
      { strategy: 'greedy', params: {} },
      { strategy: 'beam', params: { numBeams: 1 } },
      { strategy: 'beam', params: { numBeams: 4 } },
      { strategy: 'beam', params: { numBeams: 4, numBeamGroups: 2, diversityPenalty: 2 } },
    ]);
    expect(r.model.backend).toBe(backend);
    for (const p of r.panels) expect(p.error, p.strategy).toBeUndefined();
    expect(ids(r, 1)).toEqual(ids(r, 0));
    for (const panel of [2, 3]) {
      const tokens = r.panels[panel]!.tokens;
      expect(tokens.length).toBeGreaterThan(0);
      const ann = tokens.map((t) => t.annotations as BeamAnnotations);
      ann.forEach((a, i) => expect(a.step).toBe(i));
      const last = ann.at(-1)!;
      const out = last.finished!.find((f) => f.output)!;
      expect(last.finished![0]).toEqual(out);
      expect(out.length).toBe(tokens.length);
      expect(out.text).toBe(tokens.map((t) => t.text).join(''));
      const sum = ann.reduce((s, a) => s + a.lp, 0);
      expect(out.sum).toBeCloseTo(sum, 4);
      expect(last.sum).toBeCloseTo(sum, 4);
      expect(out.score).toBeCloseTo(sum / tokens.length, 4); // λ_L = 1
      // Every step names its candidates: the output's among them, on a beam whose text is the output's.
      ann.forEach((a, i) => expect(a.candidates.some((c) => c.onOutput && c.id === tokens[i]!.id)).toBe(true));
    }
    // Diverse groups: penalties were applied to the second group at some step.
    const grouped = r.panels[3]!.tokens.map((t) => t.annotations as BeamAnnotations);
    expect(grouped.some((a) => a.candidates.some((c) => c.group === 1 && c.penalty > 0))).toBe(true);
    const g = r.panels[0]!.stats;
    const b = r.panels[2]!.stats;
    const per = (x: { wallMs: number; readbackBytes: number; newTokens: number }) => `${(x.wallMs / x.newTokens).toFixed(2)} ms/token, ${(x.readbackBytes / x.newTokens).toFixed(0)} B read back/token`;
    const s0 = r.panels[0]!.tokens.reduce((s, t) => s + Math.log(t.prob), 0);
    console.log(
      `beam(4) on ${backend}, "${PROMPT}": ${b.newTokens} tokens, S = ${grouped.length ? (r.panels[2]!.tokens.map((t) => t.annotations as BeamAnnotations).at(-1)!.sum).toFixed(3) : '?'} vs greedy S = ${s0.toFixed(3)} over ${g.newTokens}; beam ${per(b)}, target forwards ${b.targetForwards}; greedy ${per(g)} (same run)`,
    );
    // The search's hypotheses stay under the stream: after the run, the finished ones, best first.
    const live = page.getByTestId('live-hypotheses-2');
    await expect(live).toContainText('Search ended after');
    const finishedCount = (r.panels[2]!.tokens.at(-1)!.annotations as BeamAnnotations).finished!.length;
    await expect(live.locator('li[data-state="finished"]')).toHaveCount(finishedCount);
    await expect(page.getByTestId('live-hypotheses-0')).toHaveCount(0);
    // The beam tree: a column per step, pruned candidates, and the highlighted path is the output.
    const tree = page.getByTestId('beam-tree-2');
    await expect(tree).toBeVisible();
    await expect(page.getByTestId('beam-tree-0')).toHaveCount(0);
    const svg = tree.getByTestId('beam-tree-svg');
    await expect(svg).toHaveAttribute('data-first', '0');
    const outTokens = r.panels[2]!.tokens;
    const steps = Number(await svg.getAttribute('data-steps'));
    expect(steps).toBeGreaterThanOrEqual(outTokens.length);
    const nodes = await tree.getByTestId('beam-node').evaluateAll((els) =>
      els.map((e) => ({ step: Number(e.getAttribute('data-step')), state: e.getAttribute('data-state'), onPath: e.getAttribute('data-on-path') === 'true', id: Number(e.getAttribute('data-id')), text: e.getAttribute('data-text') })),
    );
    expect(new Set(nodes.map((n) => n.step)).size).toBe(steps);
    expect(nodes.filter((n) => n.state === 'pruned').length).toBeGreaterThan(0);
    const path = nodes.filter((n) => n.onPath).sort((a, b) => a.step - b.step);
    expect(path.map((n) => n.step)).toEqual(outTokens.map((_, i) => i));
    expect(path.map((n) => n.id)).toEqual(outTokens.map((t) => t.id));
    expect(path.map((n) => n.text).join('')).toBe(outTokens.map((t) => t.text).join(''));
    expect(path.at(-1)!.state).toBe('finished');
    await expect(svg).toHaveAttribute('aria-label', /Beam search tree of panel 3/);
    // λ_L = 0 re-ranks the finished hypotheses by S: the best sum first, its path highlighted.
    const fin = (outTokens.at(-1)!.annotations as BeamAnnotations).finished!;
    const bySum = [...fin].sort((a, b) => b.sum - a.sum)[0]!;
    await tree.getByTestId('beam-lambda').fill('0');
    await expect(tree.locator('tr[data-best] td').nth(2)).toHaveText(bySum.sum.toFixed(2).replace('-', '−'));
    await expect(tree.locator('[data-testid="beam-node"][data-on-path="true"]').last()).toHaveAttribute('data-step', String(bySum.length - 1));
    // Diverse groups: the diversity penalty marks edges.
    await expect(page.getByTestId('beam-tree-3').locator('.beam-penalty').first()).toBeAttached();
    // The popover of a beam token: the step's candidates, the output's row marked.
    await page.getByTestId('panel-2').getByTestId('tokens').locator('[data-index="3"]').hover();
    await expect(page.getByTestId('beam-candidates')).toBeVisible();
    await expect(page.getByTestId('beam-candidates').locator('tr[data-output="true"]')).toHaveCount(1);
  });
}

test('numBeamGroups that does not divide numBeams is refused before the run, naming both values', async ({ page }) => {
  await openDefault(page);
  const message = await page.evaluate(() =>
    window.logitscope
      .run({ prompt: 'Once upon a time', maxNewTokens: 4, seed: 1, backend: 'wasm', model: 'builtin:stories260k', draft: null, panels: [{ strategy: 'greedy', params: {} }, { strategy: 'beam', params: { numBeams: 4, numBeamGroups: 3 } }] } as never)
      .then(() => 'ran')
      .catch((e: Error) => String(e.message)),
  );
  expect(message).toBe('[bad-request] numBeamGroups must divide numBeams (4), got 3');
});
