import { expect, test, type Page } from '@playwright/test';
import type { BatchCase } from '../harness/fusion-batch';
import type { FusionCase } from '../harness/fusion';
import type { PanelSpec, RunRecord } from '../protocol';
import { apiRun, openApp } from './helpers';
import { openFusionHarness, referenceChainTokens } from './support/reference-chain';

// Epsilon and eta sampling (docs/algorithms.md#epsilon, #eta) on the GPU: the fused sampler's mass
// stages against the CPU reference through the kernel harness (harness/fusion.ts: same kept set,
// same mass, same token for the same uniform, including uniforms at inverse-CDF boundaries and the
// residual draw), processRows batches, and a `sample` panel end to end on WebGPU and WASM against
// the CPU chain.

const QWEN = 151_936;
const QWEN_VALID = 151_665;
const LLAMA = 32_000;

const OFF = { topK: 0, topP: 1, minP: 0 };
const eps = (epsilonCutoff: number) => ({ ...OFF, epsilonCutoff });
const eta = (etaCutoff: number) => ({ ...OFF, etaCutoff });

const cases: FusionCase[] = [
  { rowLength: 7, dtype: 'f32', seed: 71, maskedFraction: 0.2, scale: 2, temperature: 1, warp: eps(0.15), uniforms: 30, boundaries: 6, residual: true },
  { rowLength: 7, dtype: 'f32', seed: 72, maskedFraction: 0.2, scale: 2, temperature: 1, warp: eta(0.3), uniforms: 30, boundaries: 6 },
  { rowLength: 259, dtype: 'f16', seed: 73, tieLevels: 4, temperature: 1, warp: eta(0.05), uniforms: 10, boundaries: 4, residual: true },
  { rowLength: 259, dtype: 'f32', seed: 74, temperature: 1.2, warp: { topK: 40, topP: 0.9, minP: 0.02, typicalP: 0.8, epsilonCutoff: 0.01, etaCutoff: 0.02 }, penalty: 1.3, penaltyCount: 20, sparseCount: 10, uniforms: 8, boundaries: 3, residual: true },
  // ε just below 1: only the entries at the largest kept logit survive (ties kept).
  { rowLength: 259, dtype: 'f32', seed: 75, tieLevels: 3, temperature: 1, warp: eps(0.999_999), uniforms: 6, boundaries: 2 },
  // Typical-p can remove the argmax: the mass stage then keeps the largest *kept* logit.
  { rowLength: 259, dtype: 'f32', seed: 76, scale: 4, temperature: 1, warp: { ...OFF, typicalP: 0.2, etaCutoff: 0.3 }, uniforms: 6, boundaries: 2 },
  { rowLength: 4096, dtype: 'f16', seed: 77, tieLevels: 16, temperature: 1, warp: eta(9e-4), uniforms: 6, boundaries: 3, residual: true },
  { rowLength: 4096, dtype: 'f32', seed: 78, temperature: 1, warp: eps(3e-4), uniforms: 4, boundaries: 2, workgroupSize: 256 },
  { rowLength: 4096, dtype: 'f32', seed: 79, scale: 1000, temperature: 1.5, warp: eta(4e-3), uniforms: 4 },
  { rowLength: LLAMA, dtype: 'f32', seed: 80, temperature: 1, warp: eta(3e-4), uniforms: 3, boundaries: 2 },
  { rowLength: LLAMA, dtype: 'f16', seed: 81, temperature: 0.9, warp: { ...OFF, epsilonCutoff: 1e-4, etaCutoff: 3e-4 }, penalty: 1.1, penaltyCount: 200, uniforms: 3, boundaries: 2, residual: true },
  { rowLength: QWEN, dtype: 'f32', seed: 82, validVocab: QWEN_VALID, temperature: 1, warp: eps(3e-5), uniforms: 2, boundaries: 1 },
  { rowLength: QWEN, dtype: 'f16', seed: 83, validVocab: QWEN_VALID, tieLevels: 40, temperature: 0.7, warp: { ...OFF, topP: 0.95, etaCutoff: 4e-3 }, contrast: { form: 'logprob', beta: 0, alpha: 0.1, amateurTemperature: 0.5 }, uniforms: 2, boundaries: 1 },
];

const SAMPLING = { temperature: 0.8, topK: 0, topP: 1, minP: 0, typicalP: 1, epsilonCutoff: 3e-3, etaCutoff: 4e-3, repetitionPenalty: 1.3 };
const batchCases: BatchCase[] = [
  { rowLength: 259, rows: 10, dtype: 'f32', seed: 84, chain: SAMPLING, contrast: true },
  { rowLength: LLAMA, rows: 5, dtype: 'f16', seed: 85, tieLevels: 6, chain: { ...SAMPLING, topK: 50, typicalP: 0.9, epsilonCutoff: 0 } },
];

function caseName(c: FusionCase | BatchCase): string {
  return Object.entries(c).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
}

test.describe('epsilon / eta kernels (harness)', () => {
  let page: Page;
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async ({ browser }) => {
    page = await openFusionHarness(browser);
  });

  test.afterAll(async () => {
    await page.close();
  });

  for (const c of cases) {
    test(`truncation parity ${caseName(c)}`, async () => {
      test.setTimeout(170_000);
      const r = await page.evaluate((s) => window.fusionHarness!.parity(s), c);
      console.log(`${caseName(c)}: ${r.draws} draws, kept ${r.keptCount} of ${r.finite}, ${r.ms.toFixed(0)} ms`);
      expect(r.mismatches).toEqual([]);
      expect(r.ok).toBe(true);
      // The stages removed something, never everything.
      expect(r.keptCount).toBeLessThan(r.finite);
      expect(r.keptCount).toBeGreaterThanOrEqual(1);
    });
  }

  for (const c of batchCases) {
    test(`processRows with epsilon / eta == processRow per row == CPU, ${caseName(c)}`, async () => {
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

test('a sample panel with epsilon / eta: WebGPU == WASM == the CPU chain, and eta changes the tokens', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  const panels: PanelSpec[] = [
    { strategy: 'sample', params: { temperature: 1.3 } },
    { strategy: 'sample', params: { temperature: 1.3, etaCutoff: 0.02 } },
    { strategy: 'sample', params: { temperature: 1.3, typicalP: 0.9, epsilonCutoff: 0.005, etaCutoff: 0.004 } },
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
  expect(gpu.panels[0]!.params).toMatchObject({ epsilonCutoff: 0, etaCutoff: 0 });
  expect(ids(gpu, 1)).not.toEqual(ids(gpu, 0));
  // The kept set under eta is smaller than the plain one: the annotation reports it.
  const kept = gpu.panels[1]!.tokens.map((t) => t.annotations.kept as number);
  const keptPlain = gpu.panels[0]!.tokens.map((t) => t.annotations.kept as number);
  expect(Math.max(...kept)).toBeLessThan(Math.min(...keptPlain));
});
