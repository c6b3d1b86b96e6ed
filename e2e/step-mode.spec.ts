// Step mode and the logit lab (issue #12 item 1) in the page, on the trained built-in pair: a
// `mode=step` link, Space / Step / window.logitscope.step() advance every panel by one step; the
// lab's numbers (as the worker sends them and as the page shows them) agree with the run record;
// Step → Run → Pause → Step continues the same run and gives the tokens of an uninterrupted run with
// the same seed; the lab also comes from the WebGPU kernels.
import { expect, test, type Page } from '@playwright/test';
import type { ProcessedAnnotations, RunRecord, StepEntry, TokenRecord } from '../protocol';

const STORIES = 'model=builtin:stories260k&draft=builtin:stories-draft';
const SAMPLE = 'sample(temperature=0.8;topK=20;topP=0.9;repetitionPenalty=1.3)';

/** The token spans of panel `panel`. */
const tokens = (page: Page, panel: number) => page.getByTestId(`panel-${panel}`).getByTestId('tokens').locator('[data-index]');

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`/?${STORIES}&${query}`);
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('url-warnings')).toHaveCount(0);
}

/** The lab of a sampled panel's step agrees with the token record it emitted. */
function checkAgainstRecord(entry: StepEntry, token: TokenRecord): void {
  const row = entry.lab!.rows.at(-1)!;
  expect(row.source).toBe('chain');
  expect(row.chosen).toBe(token.id);
  expect(row.stages.map((s) => s.id)).toEqual(['raw', 'repetitionPenalty', 'temperature', 'topK', 'topP']);
  // Raw stage: the record's raw softmax for every listed alternative among the candidates.
  let matched = 0;
  for (const alt of token.top) {
    const at = row.candidates.findIndex((c) => c.id === alt.id);
    if (at < 0) continue;
    matched++;
    expect(row.stages[0]!.probs[at]!).toBeCloseTo(alt.prob, 5);
  }
  expect(matched).toBeGreaterThanOrEqual(5);
  const final = row.stages.at(-1)!;
  const ann = token.annotations as ProcessedAnnotations;
  expect(ann.kind).toBe('processed');
  expect(final.kept).toBe(ann.kept);
  expect(final.probs[row.candidates.findIndex((c) => c.id === token.id)]!).toBeCloseTo(ann.processedProb, 6);
  // The kept set only shrinks along the chain; top-k keeps at most 20.
  const kept = row.stages.map((s) => s.kept!);
  for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeLessThanOrEqual(kept[i - 1]!);
  expect(kept[3]!).toBeLessThanOrEqual(20);
  expect(row.sampled).toBe(true);
  expect(row.uniform!).toBeGreaterThanOrEqual(0);
  expect(row.uniform!).toBeLessThan(1);
}

test('a mode=step link: Space and Step advance every panel by one step, and the logit lab agrees with the run record', async ({ page }) => {
  await open(page, `mode=step&seed=5&max=16&panels=${SAMPLE},greedy&prompt=Once%20upon%20a%20time`);
  await expect(page.getByTestId('logit-lab-0')).toContainText('Press Step (Space)');
  await expect(page.getByTestId('logit-lab-1')).toBeVisible();
  // Space (focus on the page, not a control) takes the first step, starting the run paused.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('logit-lab-0')).toHaveAttribute('data-chosen', /\d+/);
  await expect(tokens(page, 0)).toHaveCount(1);
  await expect(tokens(page, 1)).toHaveCount(1);
  await expect(page.locator('.run-status')).toHaveText('Paused: Step (Space) or Run (R)');
  // Two more steps through the script API: one entry per panel, one token each.
  const steps: StepEntry[][] = [];
  for (let i = 0; i < 2; i++) steps.push(await page.evaluate(() => window.logitscope.step()));
  for (const entries of steps) {
    expect(entries.map((e) => e.panel)).toEqual([0, 1]);
    for (const e of entries) expect(e.tokens).toHaveLength(1);
  }
  await expect(tokens(page, 0)).toHaveCount(3);
  // The page shows the last step's lab: its cells hold the worker's numbers, the chosen row marked.
  const last = steps[1]![0]!;
  const row = last.lab!.rows.at(-1)!;
  const lab = page.getByTestId('logit-lab-0');
  await expect(lab).toHaveAttribute('data-chosen', String(row.chosen));
  for (const [c, cand] of row.candidates.entries()) {
    const cells = lab.locator(`tr[data-id="${cand.id}"] td`);
    await expect(cells).toHaveCount(row.stages.length);
    const shown = await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-prob'))));
    expect(shown).toEqual(row.stages.map((s) => s.probs[c]));
  }
  await expect(lab.locator('tr[data-chosen] th')).toHaveCount(1);
  await expect(page.getByTestId('lab-uniform-0')).toHaveText(row.uniform!.toFixed(4));
  // Greedy with no processor: a record row (the raw softmax), its choice the raw argmax.
  const greedy = steps[1]![1]!;
  const greedyRow = greedy.lab!.rows[0]!;
  expect(greedyRow.source).toBe('record');
  expect(greedyRow.chosen).toBe(greedy.tokens[0]!.id);
  expect(greedyRow.candidates[0]!.id).toBe(greedy.tokens[0]!.top[0]!.id);
  expect(greedyRow.stages[0]!.probs[0]!).toBeCloseTo(greedy.tokens[0]!.prob, 9);
  await expect(page.getByTestId('lab-choice-1')).toContainText('the most probable under the raw softmax');
  // Run (R) finishes the run; its record holds the stepped tokens, and each lab agrees with it.
  await page.keyboard.press('r');
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done');
  const record = (await page.evaluate(() => window.logitscope.exportRun()))!;
  expect(record.panels[0]!.tokens).toHaveLength(16);
  steps.forEach((entries, i) => {
    checkAgainstRecord(entries[0]!, record.panels[0]!.tokens[i + 1]!);
    expect(entries[0]!.tokens).toEqual([record.panels[0]!.tokens[i + 1]]);
  });
  // The same link run straight through gives the same tokens.
  const straight: RunRecord = await page.evaluate(() => window.logitscope.run());
  expect(straight.panels.map((p) => p.tokens.map((t) => t.id))).toEqual(record.panels.map((p) => p.tokens.map((t) => t.id)));
});

test('Step → Run → Pause → Step continues the same run and gives the tokens of an uninterrupted run', async ({ page }) => {
  await open(page, `seed=42&max=400&panels=${SAMPLE},sample(temperature=1.2;minP=0.05),greedy&prompt=The%20little%20dog`);
  const straight: RunRecord = await page.evaluate(() => window.logitscope.run());
  await page.getByTestId('step').click();
  await expect(tokens(page, 0)).toHaveCount(1);
  await expect(page.getByTestId('resume')).toBeEnabled();
  // Run, then Pause as soon as the run goes on: the run stops after the round under way.
  await page.evaluate(async () => {
    await window.logitscope.resume();
    await window.logitscope.pause();
  });
  await expect(page.locator('.run-status')).toHaveText('Paused: Step (Space) or Run (R)');
  // The round under way when Pause was asked finishes, and its tokens can reach the screen just after
  // the status does (the clean-clone run saw one arrive late on a loaded machine): count once the
  // panel has held still for a second.
  let before = -1;
  await expect
    .poll(
      async () => {
        const n = await tokens(page, 0).count();
        const still = n === before;
        before = n;
        return still;
      },
      { intervals: [1000] },
    )
    .toBe(true);
  expect(before).toBeLessThan(400);
  const entries = await page.evaluate(() => window.logitscope.step());
  expect(entries.find((e) => e.panel === 0)!.tokens).toHaveLength(1);
  await expect(tokens(page, 0)).toHaveCount(before + 1);
  await page.getByTestId('resume').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 120_000 });
  const stepped = (await page.evaluate(() => window.logitscope.exportRun()))!;
  expect(stepped.panels.map((p) => p.tokens.map((t) => t.id))).toEqual(straight.panels.map((p) => p.tokens.map((t) => t.id)));
  expect(stepped.panels.map((p) => p.tokens.map((t) => t.prob))).toEqual(straight.panels.map((p) => p.tokens.map((t) => t.prob)));
});

test('the logit lab from the WebGPU kernels agrees with the record too; Stop ends a paused run', async ({ page }) => {
  await open(page, `backend=webgpu&seed=3&max=8&panels=${SAMPLE}&prompt=Once%20upon%20a%20time`);
  const first = await page.evaluate(() => window.logitscope.step());
  expect(first).toHaveLength(1);
  const second = await page.evaluate(() => window.logitscope.step());
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done');
  await expect(page.locator('.run-status')).toHaveText('Stopped');
  const record = (await page.evaluate(() => window.logitscope.exportRun()))!;
  expect(record.model.backend).toBe('webgpu');
  expect(record.panels[0]!.tokens).toHaveLength(2);
  checkAgainstRecord(first[0]!, record.panels[0]!.tokens[0]!);
  checkAgainstRecord(second[0]!, record.panels[0]!.tokens[1]!);
});
