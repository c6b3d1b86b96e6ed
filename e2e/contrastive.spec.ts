import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { referenceForward, referenceGreedy } from '../scripts/testmodels/reference';
import { BUILTIN_DIR } from '../scripts/testmodels/write';
import { oracleArgmax, oracleRow, topMargin } from '../tests/contrastive/cd-oracle';
import { HiddenContext } from '../strategies/contrastive/worker/hidden-context';
import type { PanelRecord, RunRecord } from '../protocol';
import { apiRun, openApp } from './helpers';

const PROMPT = 'Once upon a time';
const N = 24;
const V = 258;
const CD = { alpha: 0.1, beta: 0.5, form: 'logit', amateurTemperature: 1 } as const;

interface Cand {
  id: number;
  prob: number;
  degeneration: number;
  similarTo: number;
}

/** Per-token cost of a panel after its first token (which includes the prompt and pipeline compiles). */
function cost(p: PanelRecord): string {
  const n = p.stats.newTokens;
  const ms = (p.stats.wallMs - (p.stats.timeToFirstTokenMs ?? 0)) / Math.max(1, n - 1);
  return `${p.strategy} ${JSON.stringify(p.params)}: ${(p.stats.readbackBytes / n).toFixed(0)} B/token read back, ${ms.toFixed(1)} ms/step after the first, forwards ${p.stats.targetForwards}+${p.stats.draftForwards}`;
}

/** Checks CD β = 0.5 along the produced prefix against the float64 oracle over reference logits. */
function checkContrastive(rec: RunRecord, panel: PanelRecord): void {
  const prefix = [...rec.promptTokens];
  let departed = 0;
  for (const t of panel.tokens) {
    const zE = referenceForward('tiny-llama', prefix).logits.at(-1)!;
    const zA = referenceForward('tiny-llama-draft', prefix).logits.at(-1)!;
    const row = oracleRow(zE, zA, V, CD);
    const a = t.annotations as { vHead: number; departed: boolean; expert: { prob: number; maxProb: number } };
    // In the plausibility set, by the annotations and by the base record.
    expect(a.expert.prob).toBeGreaterThanOrEqual(CD.alpha * a.expert.maxProb * (1 - 1e-5));
    expect(t.prob).toBeGreaterThanOrEqual(CD.alpha * t.top[0]!.prob * (1 - 1e-5));
    expect(zE[t.id]!).toBeGreaterThanOrEqual(row.threshold - 1e-4);
    if (topMargin(row) > 1e-3) expect(t.id).toBe(oracleArgmax(row, zE));
    expect(Math.abs(a.vHead - row.headSize)).toBeLessThanOrEqual(1);
    if (a.departed) departed++;
    prefix.push(t.id);
  }
  expect(departed).toBeGreaterThan(0);
}

/** Checks contrastive search α = 0.6 along the produced prefix against reference hidden states. */
function checkSearch(rec: RunRecord, panel: PanelRecord): void {
  const prefix = [...rec.promptTokens];
  for (const t of panel.tokens) {
    const { hidden } = referenceForward('tiny-llama', prefix);
    const ctx = new HiddenContext(hidden[0]!.length);
    hidden.forEach((h) => ctx.append(h));
    const a = t.annotations as { candidates: Cand[]; chosenRank: number };
    expect(a.candidates).toHaveLength(4);
    expect(t.top.slice(0, 4).map((e) => e.id)).toEqual(a.candidates.map((c) => c.id));
    for (const c of a.candidates) {
      const want = ctx.mostSimilar(referenceForward('tiny-llama', [...prefix, c.id]).hidden.at(-1)!);
      expect(Math.abs(c.degeneration - want.value)).toBeLessThanOrEqual(1e-3);
      expect(c.degeneration).toBeGreaterThanOrEqual(-1);
      expect(c.degeneration).toBeLessThanOrEqual(1);
    }
    expect(a.candidates[a.chosenRank]!.id).toBe(t.id);
    prefix.push(t.id);
  }
}

async function runAll(page: Page, backend: 'webgpu' | 'wasm'): Promise<RunRecord> {
  return apiRun(page, {
    prompt: PROMPT,
    model: 'builtin:tiny-llama',
    draft: 'builtin:tiny-llama-draft',
    maxNewTokens: N,
    backend,
    panels: [
      { strategy: 'contrastive', params: { beta: 0 } },
      { strategy: 'contrastive-search', params: { alpha: 0 } },
      { strategy: 'contrastive', params: { ...CD } },
      { strategy: 'contrastive-search', params: { alpha: 0.6, k: 4 } },
      { strategy: 'greedy', params: {} },
    ],
  });
}

for (const backend of ['webgpu', 'wasm'] as const) {
  test(`${backend}: CD β=0 and CS α=0 equal greedy; CD β=0.5 stays plausible; CS α=0.6 matches the reference`, async ({ page }) => {
    await openApp(page);
    const rec = await runAll(page, backend);
    expect(rec.model.backend).toBe(backend);
    const greedy = referenceGreedy('tiny-llama', rec.promptTokens, N).ids;
    const [cd0, cs0, cd, cs, plain] = rec.panels as [PanelRecord, PanelRecord, PanelRecord, PanelRecord, PanelRecord];
    for (const p of rec.panels) expect(p.error, `${p.strategy}: ${p.error}`).toBeUndefined();
    expect(cd0.tokens.map((t) => t.id)).toEqual(greedy);
    expect(cs0.tokens.map((t) => t.id)).toEqual(greedy);
    expect(plain.tokens.map((t) => t.id)).toEqual(greedy);
    expect(cd.stats.draftForwards).toBe(cd.stats.targetForwards);
    expect(cs.stats.targetForwards).toBe(cs.tokens.length + 1);
    checkContrastive(rec, cd);
    checkSearch(rec, cs);
    for (const p of rec.panels) console.log(`[${backend}] ${cost(p)}`);
  });
}

test('amateur := expert gives expert greedy for both forms on WebGPU and WASM (tie-break on the expert logit)', async ({ page }) => {
  await openApp(page);
  for (const backend of ['webgpu', 'wasm'] as const) {
    const rec = await apiRun(page, {
      prompt: PROMPT,
      model: 'builtin:tiny-llama',
      draft: 'builtin:tiny-llama',
      maxNewTokens: 16,
      backend,
      panels: [
        { strategy: 'contrastive', params: { form: 'logprob' } },
        { strategy: 'contrastive', params: { form: 'logit', beta: 1 } },
      ],
    });
    const greedy = referenceGreedy('tiny-llama', rec.promptTokens, 16).ids;
    for (const p of rec.panels) {
      expect(p.tokens.map((t) => t.id), `${backend} ${String(p.params.form)}`).toEqual(greedy);
      // Li's scores all tie at 0 over V_head here: the tie-break, not a lone candidate, decided.
      expect(p.tokens.some((t) => (t.annotations as { vHead: number }).vHead > 1)).toBe(true);
    }
  }
});

test('a model pair with different tokenizers is refused', async ({ page }) => {
  const draftDir = join(BUILTIN_DIR, 'tiny-llama-draft');
  const tok = JSON.parse(readFileSync(join(draftDir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
  // Swap two byte tokens: same size, different vocabulary.
  const vocab = tok.model.vocab;
  [vocab['a'], vocab['b']] = [vocab['b']!, vocab['a']!];
  await page.context().route('**/mismatched-tokenizer/**', (route) => {
    const file = new URL(route.request().url()).pathname.split('/mismatched-tokenizer/')[1] ?? '';
    if (file === 'tokenizer.json') return route.fulfill({ contentType: 'application/json', body: JSON.stringify(tok) });
    return route.fulfill({ path: join(draftDir, ...file.split('/')) });
  });
  await openApp(page);
  const err = await page.evaluate(async () => {
    try {
      await window.logitscope.run({
        prompt: 'Once upon a time',
        model: 'builtin:tiny-llama',
        draft: '/mismatched-tokenizer/',
        maxNewTokens: 4,
        panels: [{ strategy: 'contrastive', params: {} }],
      });
      return null;
    } catch (e) {
      return String(e);
    }
  });
  expect(err).toMatch(/pair-mismatch/);
  expect(err).toMatch(/do not share a tokenizer/);
});
