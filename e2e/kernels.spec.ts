import { expect, test, type Page } from '@playwright/test';
import type { ParityCase, ParityResult } from '../harness/kernels';

// Kernel parity in real Chromium WebGPU (SwiftShader here): every case is generated from a seed in the
// page (harness/kernels.ts), run through RowReadout and the standalone ops on the GPU and through
// the CPU references, and compared there (ids exact, floats within 1e-5 relative / absolute near 0).

const QWEN = 151_936;
const QWEN_VALID = 151_665;
const SMOL = 49_152;

/** Full grid of row sizes × rows × k; dtype and validVocab < rowLength alternate across it. */
function gridCases(): ParityCase[] {
  const out: ParityCase[] = [];
  [1, 7, 259, 1000, 4096, SMOL, QWEN].forEach((rowLength, si) => {
    [1, 4].forEach((rows, ri) => {
      [1, 10, 64].forEach((k, ki) => {
        const alt = (si + ri + ki) % 2 === 1;
        out.push({
          rowLength,
          rows,
          k,
          dtype: alt ? 'f16' : 'f32',
          seed: 100 + out.length,
          validVocab: alt ? rowLength : Math.max(1, rowLength - 1 - Math.floor(rowLength / 500)),
          ...(rowLength === 1 ? { maskedFraction: 0 } : {}),
        });
      });
    });
  });
  return out;
}

/** Targeted cases: masking, ties, layouts, f16 subnormals, 16 / 64 rows, other workgroup sizes. */
const cases: ParityCase[] = [
  ...gridCases(),
  { rowLength: 1, rows: 1, k: 1, dtype: 'f32', seed: 1, maskedFraction: 0 },
  { rowLength: 1, rows: 4, k: 64, dtype: 'f16', seed: 2, maskedFraction: 0 },
  { rowLength: 7, rows: 1, k: 10, dtype: 'f32', seed: 3, maskedFraction: 0.3 },
  { rowLength: 7, rows: 4, k: 64, dtype: 'f16', seed: 4, tieLevels: 2, maskedFraction: 0.2 },
  { rowLength: 259, rows: 4, k: 64, dtype: 'f16', seed: 5, offsetElems: 1001, rowStrideElems: 301, validVocab: 250 },
  { rowLength: 259, rows: 1, k: 1, dtype: 'f32', seed: 6, tieLevels: 3 },
  { rowLength: 1000, rows: 4, k: 10, dtype: 'f32', seed: 7, validVocab: 900, maskedFraction: 0.2 },
  { rowLength: 1000, rows: 1, k: 64, dtype: 'f16', seed: 8, scale: 1000 },
  { rowLength: 4096, rows: 4, k: 64, dtype: 'f32', seed: 9, tieLevels: 16 },
  { rowLength: 4096, rows: 1, k: 1, dtype: 'f16', seed: 10, tieLevels: 1 },
  { rowLength: 4096, rows: 2, k: 64, dtype: 'f16', seed: 22, scale: 1e-4 }, // f16 subnormals
  { rowLength: SMOL, rows: 1, k: 64, dtype: 'f16', seed: 11, validVocab: 49_000, maskedFraction: 0.999 },
  { rowLength: SMOL, rows: 4, k: 10, dtype: 'f32', seed: 12, offsetElems: 3, scale: 0.001 },
  { rowLength: SMOL, rows: 4, k: 1, dtype: 'f16', seed: 13, rowStrideElems: SMOL + 1, offsetElems: 5 },
  { rowLength: QWEN, rows: 1, k: 64, dtype: 'f32', seed: 14, validVocab: QWEN_VALID },
  { rowLength: QWEN, rows: 4, k: 10, dtype: 'f16', seed: 15, validVocab: QWEN_VALID, tieLevels: 40 },
  { rowLength: QWEN, rows: 4, k: 64, dtype: 'f32', seed: 16, validVocab: QWEN_VALID, tieLevels: 1 },
  { rowLength: 262_144, rows: 16, k: 64, dtype: 'f32', seed: 17 },
  { rowLength: 262_144, rows: 1, k: 10, dtype: 'f16', seed: 18, tieLevels: 1, maskedFraction: 0.5 },
  { rowLength: 259, rows: 64, k: 10, dtype: 'f16', seed: 19 },
  { rowLength: QWEN, rows: 4, k: 64, dtype: 'f16', seed: 20, validVocab: QWEN_VALID, workgroupSize: 256 },
  { rowLength: 262_144, rows: 4, k: 64, dtype: 'f32', seed: 21, workgroupSize: 32, tieLevels: 64 },
  // More chunk maxima (1,172) than the row summary ranks in workgroup memory: its radix-select path.
  { rowLength: 600_000, rows: 2, k: 64, dtype: 'f32', seed: 22, workgroupSize: 32, validVocab: 599_999 },
  { rowLength: 600_000, rows: 1, k: 10, dtype: 'f16', seed: 23, workgroupSize: 32, tieLevels: 30 },
];

function caseName(c: ParityCase): string {
  const extras = Object.entries(c)
    .filter(([key]) => !['rowLength', 'rows', 'k', 'dtype', 'seed'].includes(key))
    .map(([key, value]) => `${key}=${value}`);
  return [`${c.rowLength}x${c.rows}`, `k=${c.k}`, c.dtype, ...extras].join(' ');
}

let page: Page;

function parity(spec: ParityCase): Promise<ParityResult> {
  return page.evaluate((s) => window.kernelHarness!.parity(s), spec);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.goto('/harness.html');
  await page.waitForFunction(() => 'kernelHarness' in window, null, { timeout: 30_000 });
  // The first call pays SwiftShader's pipeline compiles (seconds).
  test.setTimeout(120_000);
  const warm = await parity({ rowLength: 7, rows: 1, k: 1, dtype: 'f32', seed: 0, maskedFraction: 0 });
  expect(warm.mismatches).toEqual([]);
});

test.afterAll(async () => {
  await page.close();
});

for (const c of cases) {
  test(`parity ${caseName(c)}`, async () => {
    test.setTimeout(60_000);
    const r = await parity(c);
    expect(r.errorRow).toBeUndefined();
    expect(r.mismatches).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.rowsChecked).toBe(c.rows);
  });
}

test('readout of one 151,936 row with k = 64 maps at most 1 KiB', async () => {
  const r = await parity({ rowLength: QWEN, rows: 1, k: 64, dtype: 'f16', seed: 30, validVocab: QWEN_VALID });
  expect(r.ok).toBe(true);
  expect(r.bytesRead).toBeGreaterThan(0);
  expect(r.bytesRead).toBeLessThanOrEqual(1024);
});

const errorCases: { spec: ParityCase; expected: string }[] = [
  { spec: { rowLength: 1000, rows: 4, k: 10, dtype: 'f32', seed: 40, allMaskedRow: 2, validVocab: 990 }, expected: '2/no-finite' },
  { spec: { rowLength: SMOL, rows: 4, k: 64, dtype: 'f16', seed: 41, allMaskedRow: 3, validVocab: 49_000 }, expected: '3/no-finite' },
  { spec: { rowLength: 1, rows: 1, k: 1, dtype: 'f16', seed: 42, allMaskedRow: 0 }, expected: '0/no-finite' },
  { spec: { rowLength: 4096, rows: 4, k: 10, dtype: 'f32', seed: 43, badRow: 1 }, expected: '1/nan-or-inf' },
];

for (const { spec, expected } of errorCases) {
  test(`row error ${expected}: ${caseName(spec)}`, async () => {
    const r = await parity(spec);
    expect(r.mismatches).toEqual([]);
    expect(r.errorRow).toEqual({ gpu: expected, cpu: expected, message: expect.stringContaining(`row ${expected.split('/')[0]} `) });
  });
}

test('invalid arguments reject with errors naming the parameter and value', async () => {
  const r = await page.evaluate(() => window.kernelHarness!.probeErrors());
  expect(r.kZero).toBe('KernelArgumentError: k must be an integer in [1, 64], got 0');
  expect(r.kTooLarge).toContain('got 65');
  expect(r.tokenIdsLength).toContain('tokenIds must be an array with one entry per row (1)');
  expect(r.tokenIdRange).toBe('KernelArgumentError: tokenIds[0] must be an integer in [0, 15], got 16');
  expect(r.validVocab).toContain('src.validVocab must be an integer in [1, 16], got 17');
  expect(r.rowStride).toContain('src.rowStrideElems');
  expect(r.bufferTooSmall).toContain('src.buffer.size must be at least 128 bytes');
  expect(r.noStorageUsage).toContain('STORAGE');
  expect(r.dtype).toContain('src.dtype must be "f32" or "f16", got "bf16"');
  expect(r.destroyedBuffer).toMatch(/^Error: RowReadout: WebGPU rejected the readout: .*destroyed/);
  expect(r.afterwards).toBe('resolved 4,9,14');
});

test('bench runs both readout paths (no timing asserted)', async () => {
  const r = await page.evaluate(() => window.kernelHarness!.bench({ rowLength: 4096, rows: 1, iters: 1 }));
  expect(r.gpuBytes).toBeLessThanOrEqual(1024);
  expect(r.fullBytes).toBe(4096 * 4);
});
