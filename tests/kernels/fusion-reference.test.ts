import { describe, expect, it } from 'vitest';
import { logitFusionCpu } from '../../kernels/reference/logitFusion';
import { EXP2_TABLES, expWeight, mulQ31, WEIGHT_ONE } from '../../kernels/reference/sampleExp';
import { drawTarget, residualCoefficients, residualWeight, topPFixed, topPTarget } from '../../kernels/reference/sampleMath';
import type { FusionSpec } from '../../kernels/types';
import { rng } from './fixtures';

const NONE: FusionSpec = { historyIds: [], processors: {}, contrast: null, sparseIds: [], sparseValues: [] };
const row = (xs: number[], validVocab = xs.length) => ({ data: Float32Array.from(xs), validVocab });

describe('integer softmax weights (sampleExp)', () => {
  it('tables hold round(2^31 · 2^(−j/64^(c+1)))', () => {
    EXP2_TABLES.forEach((t, c) => t.forEach((v, j) => expect(Math.abs(v - 2 ** 31 * 2 ** (-j / 64 ** (c + 1)))).toBeLessThanOrEqual(0.5)));
  });

  it('w(0) = 2^31 exactly, w(d) < 2^31 for d < 0, non-increasing, 0 far below', () => {
    expect(expWeight(0)).toBe(WEIGHT_ONE);
    expect(expWeight(-0)).toBe(WEIGHT_ONE);
    expect(expWeight(-1e-30)).toBeLessThan(WEIGHT_ONE);
    expect(expWeight(-Infinity)).toBe(0);
    expect(expWeight(-40)).toBe(0);
    const ds = Array.from({ length: 2000 }, (_, i) => Math.fround(-i * 0.0117));
    ds.slice(1).forEach((d, i) => expect(expWeight(d)).toBeLessThanOrEqual(expWeight(ds[i]!)));
  });

  it('is within 1e-6 relative of 2^31·e^d where the weight is large, and within 1 unit everywhere', () => {
    const rand = rng(5);
    for (let i = 0; i < 20000; i++) {
      const d = Math.fround(-rand() * 22);
      const exact = WEIGHT_ONE * Math.exp(d);
      const w = expWeight(d);
      expect(Math.abs(w - exact)).toBeLessThanOrEqual(Math.max(1, exact * 1e-6));
    }
  });

  it('mulQ31 equals floor(a·b / 2^31) computed with BigInt', () => {
    const rand = rng(6);
    for (let i = 0; i < 5000; i++) {
      const a = Math.floor(rand() * 2 ** 31);
      const b = i % 7 === 0 ? 2 ** 31 : Math.floor(rand() * 2 ** 31);
      expect(mulQ31(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 31n));
    }
  });
});

describe('sampler integer math (sampleMath)', () => {
  it('top-p target is max(1, ceil(Pq·W / 2^24)) with Pq = max(1, round(p·2^24))', () => {
    expect(topPFixed(0.5)).toBe(2 ** 23);
    expect(topPFixed(1e-12)).toBe(1);
    expect(topPTarget(2 ** 40, 2 ** 23)).toBe(2 ** 39);
    expect(topPTarget(2 ** 40 + 1, 2 ** 23)).toBe(2 ** 39 + 1);
    expect(topPTarget(3, 1)).toBe(1);
  });

  it('draw target is floor(U·W / 2^32), always below W', () => {
    const W = 2 ** 45 + 12345;
    expect(drawTarget(0, W)).toBe(0);
    expect(drawTarget(2 ** 32 - 1, W)).toBe(Number(((2n ** 32n - 1n) * BigInt(W)) >> 32n));
    expect(drawTarget(2 ** 32 - 1, W)).toBeLessThan(W);
  });

  it('residual weight equals max(0, floor((wp·A − wq·B) / 2^24)) computed with BigInt', () => {
    const rand = rng(7);
    for (let i = 0; i < 5000; i++) {
      const wp = Math.floor(rand() * 2 ** 31);
      const wq = Math.floor(rand() * 2 ** 31);
      const { a, b } = residualCoefficients(Math.floor(rand() * 2 ** 45) + 2 ** 31, Math.floor(rand() * 2 ** 45) + 2 ** 31);
      expect(Math.max(a, b)).toBe(2 ** 24);
      const x = BigInt(wp) * BigInt(a) - BigInt(wq) * BigInt(b);
      expect(residualWeight(wp, wq, a, b)).toBe(x > 0n ? Number(x >> 24n) : 0);
    }
  });
});

describe('logitFusionCpu', () => {
  it('masks padded entries and applies the sparse term and temperature in f32', () => {
    const { y } = logitFusionCpu(row([1, 2, 3, 50], 3), { ...NONE, sparseIds: [0, 2], sparseValues: [0.5, -1], processors: { temperature: 0.5 } });
    expect(Array.from(y)).toEqual([3, 4, 4]);
  });

  it('an allow-bitmask sets clear-bit entries to -inf and leaves the rest bit-identical; null is off', () => {
    const r = row([1, 2, 3, 50, -1], 5);
    const spec = { ...NONE, sparseIds: [0, 2], sparseValues: [0.5, -1], processors: { temperature: 0.5 } };
    const plain = logitFusionCpu(r, spec).y;
    expect(Array.from(logitFusionCpu(r, { ...spec, allowMask: null }).y)).toEqual(Array.from(plain));
    const { y } = logitFusionCpu(r, { ...spec, allowMask: [0b10101] });
    expect(Array.from(y)).toEqual([plain[0], -Infinity, plain[2], -Infinity, plain[4]]);
    expect(() => logitFusionCpu(r, { ...spec, allowMask: [0] })).toThrow(/finite/);
    expect(() => logitFusionCpu(r, { ...spec, allowMask: [] })).toThrow(/allowMask/);
    expect(() => logitFusionCpu(r, { ...spec, allowMask: [-1] })).toThrow(/allowMask\[0\]/);
  });

  it("O'Brien–Lewis: (1+β)·z_E − β·z_A inside z_E ≥ log α + max z_E, -inf outside", () => {
    const contrast = { form: 'logit' as const, beta: 0.5, alpha: 0.1, amateurTemperature: 1 };
    const { y } = logitFusionCpu(row([0, -1, -3, -2.2]), { ...NONE, contrast }, row([1, -2, 0, 5]));
    // log 0.1 ≈ −2.303: ids 0, 1, 3 plausible.
    expect(Array.from(y)).toEqual([-0.5, -0.5, -Infinity, Math.fround(1.5 * -2.2 - 2.5)]);
  });

  it('β = 0 leaves the expert row inside the mask; α = 1 keeps only the expert maxima', () => {
    const e = [1, 3, 3, 2];
    const a = [9, 0, 1, -4];
    const { y } = logitFusionCpu(row(e), { ...NONE, contrast: { form: 'logit', beta: 0, alpha: 0.2, amateurTemperature: 1 } }, row(a));
    expect(Array.from(y)).toEqual([-Infinity, 3, 3, 2]);
    const one = logitFusionCpu(row(e), { ...NONE, contrast: { form: 'logit', beta: 2, alpha: 1, amateurTemperature: 1 } }, row(a));
    expect(Array.from(one.y).map(Number.isFinite)).toEqual([false, true, true, false]);
  });

  it('Li et al.: y + offset = log p_E − log p_A(τ_A) inside the mask', () => {
    const e = [0.5, 0.2, -1, -0.3];
    const a = [1, -0.5, 0.3, 0];
    const tau = 0.7;
    const { y, offset } = logitFusionCpu(row(e), { ...NONE, contrast: { form: 'logprob', beta: 0, alpha: 0.3, amateurTemperature: tau } }, row(a));
    const lse = (z: number[]) => Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    const lseE = lse(e.map(Math.fround));
    const lseA = lse(a.map((v) => Math.fround(v / tau)));
    e.forEach((z, i) => {
      const inHead = Math.exp(z - Math.max(...e)) >= 0.3;
      if (!inHead) return expect(y[i]).toBe(-Infinity);
      expect(y[i]! + offset).toBeCloseTo(Math.fround(z) - lseE - (Math.fround(a[i]!) / tau - lseA), 5);
    });
  });

  it('penalises the amateur too, and masks ids the amateur does not define', () => {
    const spec: FusionSpec = { ...NONE, historyIds: [0, 1, 0], processors: { repetitionPenalty: 2 }, contrast: { form: 'logit', beta: 1, alpha: 0.01, amateurTemperature: 1 } };
    const { y } = logitFusionCpu(row([2, -1, 1]), spec, row([4, -1], 2));
    // z_E' = [1, -2, 1], z_A' = [2, -2]: s = 2·z_E' − z_A' = [0, -2], id 2 beyond the amateur.
    expect(Array.from(y)).toEqual([0, -2, -Infinity]);
  });

  it('rejects NaN / +inf inputs and bad specs, naming them', () => {
    expect(() => logitFusionCpu(row([1, NaN]), NONE)).toThrow(/NaN or \+inf/);
    expect(() => logitFusionCpu(row([1, 2]), { ...NONE, processors: { repetitionPenalty: 0 } })).toThrow(/processors.repetitionPenalty must be a finite number > 0, got 0/);
    expect(() => logitFusionCpu(row([1, 2]), { ...NONE, processors: { temperature: -1 } })).toThrow(/processors.temperature must be a finite number > 0, got -1/);
    expect(() => logitFusionCpu(row([1, 2]), { ...NONE, processors: { tempreature: 1 } })).toThrow(/processors.tempreature must be one of repetitionPenalty, presencePenalty, temperature/);
    expect(() => logitFusionCpu(row([1, 2]), { ...NONE, sparseIds: [1, 1], sparseValues: [1, 2] })).toThrow(/sparseIds\[1\] must be distinct/);
    expect(() => logitFusionCpu(row([1, 2]), { ...NONE, contrast: { form: 'logit', beta: 1, alpha: 0, amateurTemperature: 1 } }, row([1, 2]))).toThrow(/contrast.alpha must be in \(0, 1\]/);
  });
});
