import { expect, test, type Page } from '@playwright/test';
import type { FusionCase, FusionResult } from '../harness/fusion';
import type { BatchCase } from '../harness/fusion-batch';
import { openFusionHarness } from './support/reference-chain';

// Browser parity of the fused logit processing and the sampler (harness/fusion.ts): GPU kernels vs
// their CPU references on rows generated in the page. Fused rows and kept masks bit-exact, chosen
// ids exact (argmax, random uniforms, uniforms at inverse-CDF boundaries), integer masses exact,
// floats within 1e-5 relative.

const QWEN = 151_936;
const QWEN_VALID = 151_665;
const SMOL = 49_152;

const ALL = { topK: 40, topP: 0.9, minP: 0.05 };
const cases: FusionCase[] = [
  { rowLength: 7, dtype: 'f32', seed: 1, maskedFraction: 0.2, temperature: 1, uniforms: 30, boundaries: 6, residual: true },
  { rowLength: 7, dtype: 'f32', seed: 2, tieLevels: 2, maskedFraction: 0, penalty: 1.5, penaltyCount: 3 },
  { rowLength: 7, dtype: 'f16', seed: 3, tieLevels: 3, maskedFraction: 0.1, temperature: 0.7, warp: { topK: 2, topP: 1, minP: 0 }, uniforms: 20, boundaries: 5 },
  { rowLength: 259, dtype: 'f32', seed: 4, temperature: 1.2, warp: { topK: 5, topP: 0.9, minP: 0.05 }, penalty: 1.3, penaltyCount: 20, sparseCount: 10, uniforms: 12, boundaries: 4, residual: true },
  { rowLength: 259, dtype: 'f16', seed: 5, validVocab: 250, contrast: { form: 'logit', beta: 0.5, alpha: 0.1, amateurTemperature: 1 }, penalty: 1.2, penaltyCount: 8 },
  { rowLength: 259, dtype: 'f32', seed: 6, offsetElems: 37, contrast: { form: 'logprob', beta: 0, alpha: 0.05, amateurTemperature: 0.7, amateurValidVocab: 250, amateurDtype: 'f16' }, temperature: 0.8, warp: { topK: 0, topP: 0.95, minP: 0 }, uniforms: 8 },
  { rowLength: 259, dtype: 'f32', seed: 7, tieLevels: 4, temperature: 1, warp: { topK: 0, topP: 0.5, minP: 0 }, uniforms: 10, boundaries: 4, residual: true },
  { rowLength: 259, dtype: 'f16', seed: 19, validVocab: 240, temperature: 1, uniforms: 8, boundaries: 4, residual: true, residualValidVocab: 259 },
  { rowLength: 259, dtype: 'f32', seed: 20, temperature: 0.6, warp: { topK: 30, topP: 1, minP: 0 }, uniforms: 8, boundaries: 4, residual: true, residualValidVocab: 100 },
  { rowLength: 259, dtype: 'f32', seed: 8, temperature: 1, warp: { topK: 1, topP: 1, minP: 0 }, uniforms: 3 },
  { rowLength: 259, dtype: 'f32', seed: 9, tieLevels: 6, temperature: 1, warp: { topK: 0, topP: 1, minP: 1 }, uniforms: 3 },
  { rowLength: 259, dtype: 'f32', seed: 10, temperature: 1, warp: { topK: 0, topP: 1e-9, minP: 0 }, uniforms: 3 },
  { rowLength: 4096, dtype: 'f16', seed: 11, tieLevels: 16, temperature: 1, warp: { topK: 50, topP: 0.8, minP: 0.02 }, uniforms: 6, boundaries: 3, residual: true },
  { rowLength: 4096, dtype: 'f32', seed: 12, scale: 1000, temperature: 1.5, warp: { topK: 0, topP: 0.5, minP: 0 }, uniforms: 4 },
  { rowLength: 4096, dtype: 'f32', seed: 13, sparseCount: 40, temperature: 2, warp: { topK: 4095, topP: 1, minP: 0.001 }, uniforms: 4, workgroupSize: 256 },
  { rowLength: SMOL, dtype: 'f16', seed: 14, validVocab: 49_000, temperature: 0.9, warp: ALL, penalty: 1.1, penaltyCount: 200, sparseCount: 30, uniforms: 3, boundaries: 2, residual: true },
  { rowLength: SMOL, dtype: 'f32', seed: 15, contrast: { form: 'logit', beta: 1, alpha: 0.1, amateurTemperature: 1, amateurDtype: 'f16' }, penalty: 1.2, penaltyCount: 50 },
  { rowLength: QWEN, dtype: 'f32', seed: 16, validVocab: QWEN_VALID, temperature: 1, warp: ALL, uniforms: 2, boundaries: 1 },
  { rowLength: QWEN, dtype: 'f16', seed: 17, validVocab: QWEN_VALID, tieLevels: 40, temperature: 0.7, warp: { topK: 0, topP: 0.95, minP: 0 }, contrast: { form: 'logprob', beta: 0, alpha: 0.1, amateurTemperature: 0.5 }, uniforms: 2, boundaries: 1 },
  { rowLength: QWEN, dtype: 'f32', seed: 18, validVocab: QWEN_VALID, maskedFraction: 0.5, sparseCount: 100, penalty: 1.3, penaltyCount: 300 },
  // Presence penalty (a logit-processor module): alone, after the repetition penalty, through both rows of a contrast.
  { rowLength: 259, dtype: 'f32', seed: 21, tieLevels: 3, presence: 0.7, penaltyCount: 40, temperature: 0.9, warp: { topK: 0, topP: 0.9, minP: 0 }, uniforms: 8, boundaries: 3 },
  { rowLength: 4096, dtype: 'f16', seed: 22, penalty: 1.4, presence: -0.4, penaltyCount: 300, sparseCount: 20 },
  { rowLength: 259, dtype: 'f32', seed: 23, contrast: { form: 'logprob', beta: 0, alpha: 0.05, amateurTemperature: 0.8 }, presence: 1.5, penaltyCount: 30, temperature: 1.1, uniforms: 6 },
  // Allow-bitmask (grammar-constrained decoding): masked entries -inf before everything else.
  { rowLength: 512, dtype: 'f32', seed: 41, allowFraction: 0.1, temperature: 0.9, warp: { topK: 5, topP: 0.9, minP: 0 }, penalty: 1.3, penaltyCount: 10, sparseCount: 8, uniforms: 8, boundaries: 3 },
  { rowLength: 259, dtype: 'f16', seed: 42, validVocab: 250, allowFraction: 0.5, contrast: { form: 'logit', beta: 0.5, alpha: 0.1, amateurTemperature: 1 }, uniforms: 4 },
  { rowLength: 4096, dtype: 'f32', seed: 43, allowFraction: 0.01, tieLevels: 4, temperature: 1, uniforms: 6, boundaries: 3, residual: true },
];

const SAMPLING = { temperature: 0.8, topK: 40, topP: 0.9, minP: 0.02, repetitionPenalty: 1.3 };
const batchCases: BatchCase[] = [
  { rowLength: 259, rows: 10, dtype: 'f32', seed: 31, chain: SAMPLING, contrast: true },
  { rowLength: 259, rows: 20, dtype: 'f32', seed: 32, validVocab: 250, tieLevels: 6, chain: { ...SAMPLING, topK: 0, topP: 0.5, presencePenalty: 0.6 } },
  { rowLength: 4096, rows: 16, dtype: 'f16', seed: 33, chain: { temperature: 0, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1.5 } },
  { rowLength: SMOL, rows: 5, dtype: 'f16', seed: 34, validVocab: 49_000, chain: SAMPLING, contrast: true },
];

function caseName(c: FusionCase | BatchCase): string {
  return Object.entries(c).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
}

let page: Page;

function parity(c: FusionCase): Promise<FusionResult> {
  return page.evaluate((s) => window.fusionHarness!.parity(s), c);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  page = await openFusionHarness(browser);
});

test.afterAll(async () => {
  await page.close();
});

test('both WGSL modules compile without messages', async () => {
  const messages = await page.evaluate(() => window.fusionHarness!.shaderMessages());
  expect(messages).toEqual([]);
});

test('NaN, all -inf and +inf rows throw on both paths, never a NaN result', async () => {
  const results = await page.evaluate(() => window.fusionHarness!.errors());
  expect(results).toHaveLength(3);
  for (const [gpu, cpu] of results) {
    expect(gpu).toMatch(/NaN|finite/);
    expect(cpu).toMatch(/NaN|finite/);
  }
});

for (const c of cases) {
  test(`fusion parity ${caseName(c)}`, async () => {
    test.setTimeout(170_000);
    const r = await parity(c);
    console.log(`${caseName(c)}: ${r.draws} draws, kept ${r.keptCount}, ${r.bytesRead} B/read, ${r.ms.toFixed(0)} ms`);
    expect(r.mismatches).toEqual([]);
    expect(r.ok).toBe(true);
  });
}

for (const c of batchCases) {
  test(`processRows batch == processRow per row, ${caseName(c)}`, async () => {
    test.setTimeout(170_000);
    const r = await page.evaluate((s) => window.fusionHarness!.batchParity(s), c);
    console.log(`${caseName(c)}: ${r.submits} submit(s), batch ${r.ms.batch.toFixed(0)} ms vs ${c.rows} single ${r.ms.single.toFixed(0)} ms, ${r.bytes.batch} B; drawRows ${r.draw.bytes} B + raw ${r.draw.rawBytes} B`);
    expect(r.mismatches).toEqual([]);
    expect(r.submits).toBe(Math.ceil(c.rows / 16));
    expect(r.bytes.batch).toBe(r.bytes.single);
    // drawRows (CNTP's trial draws) over the same rows: same draws, 40 bytes per row, and the raw
    // summaries of every row in one more submit (k = 1 + (row % 8): 4·(1 + 8 + 1 + 2k) bytes each).
    expect(r.draw.submits).toBe(Math.ceil(c.rows / 16));
    expect(r.draw.bytes).toBe(40 * c.rows);
    expect(r.draw.rawSubmits).toBe(1);
    expect(r.draw.rawBytes).toBe(Array.from({ length: c.rows }, (_, row) => 4 * (10 + 2 * (1 + (row % 8)))).reduce((a, b) => a + b, 0));
  });
}
