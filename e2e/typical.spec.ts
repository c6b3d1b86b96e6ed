import { expect, test, type Page } from '@playwright/test';
import type { BatchCase } from '../harness/fusion-batch';
import type { FusionCase } from '../harness/fusion';
import type { PanelSpec, RunRecord } from '../protocol';
import { apiRun, openApp } from './helpers';
import { openFusionHarness, referenceChainTokens } from './support/reference-chain';

// Typical-p (docs/algorithms.md#typical-p) on the GPU: the fused sampler against the CPU reference
// through the kernel harness (harness/fusion.ts: same kept set, same mass, same token for the same
// uniform, including uniforms at inverse-CDF boundaries and the residual draw), processRows batches,
// and a `sample` panel end to end on WebGPU and WASM against the CPU chain.

const QWEN = 151_936;
const QWEN_VALID = 151_665;
const SMOL = 49_152;

const typical = (typicalP: number) => ({ topK: 0, topP: 1, minP: 0, typicalP });

const cases: FusionCase[] = [
  { rowLength: 7, dtype: 'f32', seed: 51, maskedFraction: 0.2, temperature: 1, warp: typical(0.5), uniforms: 30, boundaries: 6, residual: true },
  { rowLength: 259, dtype: 'f16', seed: 52, tieLevels: 4, temperature: 1, warp: typical(0.7), uniforms: 10, boundaries: 4, residual: true },
  { rowLength: 259, dtype: 'f32', seed: 53, tieLevels: 2, temperature: 0.8, warp: typical(0.3), uniforms: 8, boundaries: 4 },
  { rowLength: 259, dtype: 'f32', seed: 54, temperature: 1.2, warp: { topK: 40, topP: 0.9, minP: 0.02, typicalP: 0.8 }, penalty: 1.3, penaltyCount: 20, sparseCount: 10, uniforms: 8, boundaries: 3, residual: true },
  { rowLength: 259, dtype: 'f32', seed: 55, temperature: 1, warp: typical(1e-9), uniforms: 3 },
  { rowLength: 4096, dtype: 'f16', seed: 56, tieLevels: 16, temperature: 1, warp: typical(0.9), uniforms: 6, boundaries: 3, residual: true },
  // Small typicalP on a smooth row: the kept set is cut on both sides of the entropy.
  { rowLength: 4096, dtype: 'f32', seed: 63, scale: 3, temperature: 1, warp: typical(0.2), uniforms: 4, boundaries: 2 },
  { rowLength: 4096, dtype: 'f32', seed: 57, scale: 1000, temperature: 1.5, warp: typical(0.5), uniforms: 4, workgroupSize: 256 },
  { rowLength: SMOL, dtype: 'f16', seed: 58, validVocab: 49_000, temperature: 0.9, warp: typical(0.95), penalty: 1.1, penaltyCount: 200, uniforms: 3, boundaries: 2, residual: true },
  { rowLength: QWEN, dtype: 'f32', seed: 59, validVocab: QWEN_VALID, temperature: 1, warp: typical(0.9), uniforms: 2, boundaries: 1 },
  { rowLength: QWEN, dtype: 'f16', seed: 60, validVocab: QWEN_VALID, tieLevels: 40, temperature: 0.7, warp: { topK: 0, topP: 0.95, minP: 0, typicalP: 0.5 }, contrast: { form: 'logprob', beta: 0, alpha: 0.1, amateurTemperature: 0.5 }, uniforms: 2, boundaries: 1 },
];

const SAMPLING = { temperature: 0.8, topK: 0, topP: 1, minP: 0.02, typicalP: 0.8, repetitionPenalty: 1.3 };
const batchCases: BatchCase[] = [
  { rowLength: 259, rows: 10, dtype: 'f32', seed: 61, chain: SAMPLING, contrast: true },
  { rowLength: SMOL, rows: 5, dtype: 'f16', seed: 62, validVocab: 49_000, tieLevels: 6, chain: { ...SAMPLING, topK: 50, typicalP: 0.5 } },
];

function caseName(c: FusionCase | BatchCase): string {
  return Object.entries(c).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
}

test.describe('typical-p kernels (harness)', () => {
  let page: Page;
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async ({ browser }) => {
    page = await openFusionHarness(browser);
  });

  test.afterAll(async () => {
    await page.close();
  });

  for (const c of cases) {
    test(`typical-p parity ${caseName(c)}`, async () => {
      test.setTimeout(170_000);
      const r = await page.evaluate((s) => window.fusionHarness!.parity(s), c);
      console.log(`${caseName(c)}: ${r.draws} draws, kept ${r.keptCount} of ${r.finite}, ${r.ms.toFixed(0)} ms`);
      expect(r.mismatches).toEqual([]);
      expect(r.ok).toBe(true);
      // The stage removed something (typical-p < 1 on rows with more than one distinct weight).
      expect(r.keptCount).toBeLessThan(r.finite);
      expect(r.keptCount).toBeGreaterThanOrEqual(1);
    });
  }

  for (const c of batchCases) {
    test(`processRows with typical-p == processRow per row == CPU, ${caseName(c)}`, async () => {
      test.setTimeout(170_000);
      const r = await page.evaluate((s) => window.fusionHarness!.batchParity(s), c);
      expect(r.mismatches).toEqual([]);
      // Still fused: one submit per 16 rows, the same small readback as single calls.
      expect(r.submits).toBe(Math.ceil(c.rows / 16));
      expect(r.bytes.batch).toBe(r.bytes.single);
      expect(r.draw.bytes).toBe(40 * c.rows);
    });
  }
});

const PROMPT = 'Once upon a time';
const N = 24;
const SEED = 4321;

test('a sample panel with typical-p: WebGPU == WASM == the CPU chain, and typical-p changes the tokens', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  const panels: PanelSpec[] = [
    { strategy: 'sample', params: { temperature: 1.3 } },
    { strategy: 'sample', params: { temperature: 1.3, typicalP: 0.3 } },
    { strategy: 'sample', params: { temperature: 1.3, minP: 0.05, typicalP: 0.6 } },
  ];
  const request = { prompt: PROMPT, model: 'builtin:tiny-llama', maxNewTokens: N, seed: SEED, panels };
  const gpu = await apiRun(page, { ...request, backend: 'webgpu' });
  const wasm = await apiRun(page, { ...request, backend: 'wasm' });
  expect(gpu.model.backend).toBe('webgpu');
  const ids = (r: RunRecord, i: number) => r.panels[i]!.tokens.map((t) => t.id);
  panels.forEach((_, i) => {
    expect(gpu.panels[i]!.error, `panel ${i}`).toBeUndefined();
    expect(ids(gpu, i), `panel ${i} vs the CPU chain`).toEqual(referenceChainTokens(gpu.promptTokens, { strategy: 'sample', params: gpu.panels[i]!.params }, SEED, N));
    expect(ids(wasm, i), `panel ${i} on WASM`).toEqual(ids(gpu, i));
  });
  expect(gpu.panels[0]!.params).toMatchObject({ typicalP: 1 });
  expect(ids(gpu, 1)).not.toEqual(ids(gpu, 0));
  // The kept set under typical-p 0.3 is small: the annotation reports it.
  const kept = gpu.panels[1]!.tokens.map((t) => t.annotations.kept as number);
  const keptPlain = gpu.panels[0]!.tokens.map((t) => t.annotations.kept as number);
  expect(Math.max(...kept)).toBeLessThan(Math.min(...keptPlain));
});
