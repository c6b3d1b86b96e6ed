import { describe, expect, it } from 'vitest';
import { normalizedEntropy, trialCount, validateTrialCount, type TrialCountSettings } from '../../strategies/cntp/worker/trial-count';

const CODE: TrialCountSettings = { hLow: 0.01, hHigh: 1.5, maxTrials: 10, paperForm: false };
const PAPER: TrialCountSettings = { ...CODE, paperForm: true };

describe('trial count N (docs/algorithms.md#trial-count)', () => {
  it('code form: N = int(1 + (N_max − 1)·clamp((H − H_low)/(H_high − H_low), 0, 1))', () => {
    // Branching starts at normalised 1/9, i.e. H ≥ 0.01 + 1.49/9 ≈ 0.1756 nats.
    expect(trialCount(0, CODE)).toBe(1);
    expect(trialCount(0.01, CODE)).toBe(1);
    expect(trialCount(0.175, CODE)).toBe(1);
    expect(trialCount(0.177, CODE)).toBe(2);
    // H = 0.76: normalised 0.75/1.49 = 0.5034, 1 + 9·0.5034 = 5.53 → 5.
    expect(trialCount(0.76, CODE)).toBe(5);
    expect(trialCount(1.5, CODE)).toBe(10);
    expect(trialCount(40, CODE)).toBe(10);
  });

  it('paper form: N = max(1, min(N_max, ⌊normalised·N_max⌋)), branching from normalised 2/N_max', () => {
    // 2/10 of the way: H ≥ 0.01 + 0.2·1.49 = 0.308.
    expect(trialCount(0.307, PAPER)).toBe(1);
    expect(trialCount(0.309, PAPER)).toBe(2);
    expect(trialCount(0.76, PAPER)).toBe(5);
    expect(trialCount(1.5, PAPER)).toBe(10);
    expect(trialCount(0.0, PAPER)).toBe(1);
  });

  it('N ∈ [1, N_max] and non-decreasing in H, both forms, across settings', () => {
    const settings: TrialCountSettings[] = [CODE, PAPER, { hLow: 0.1, hHigh: 1.0, maxTrials: 3, paperForm: false }, { hLow: 2, hHigh: 0.5, maxTrials: 7, paperForm: true }, { hLow: 0, hHigh: 0, maxTrials: 1, paperForm: false }];
    for (const s of settings) {
      const ns = Array.from({ length: 8001 }, (_, i) => trialCount(i / 1000, s));
      const bad = ns.filter((n, i) => !Number.isInteger(n) || n < 1 || n > s.maxTrials || (i > 0 && n < ns[i - 1]!));
      expect(bad).toEqual([]);
      expect(ns[ns.length - 1]).toBe(s.maxTrials);
    }
  });

  it('H_low ≥ ln|V| never branches, whatever H_high is', () => {
    const lnV = Math.log(258);
    for (const hHigh of [1.5, 6, 100]) {
      for (let h = 0; h <= lnV; h += 0.01) expect(trialCount(h, { ...CODE, hLow: 6, hHigh })).toBe(1);
    }
  });

  it('normalisation clamps and validates', () => {
    expect(normalizedEntropy(-1, 0, 1)).toBe(0);
    expect(normalizedEntropy(0.5, 0, 1)).toBe(0.5);
    expect(normalizedEntropy(2, 0, 1)).toBe(1);
    expect(() => normalizedEntropy(NaN, 0, 1)).toThrow(/NaN/);
    expect(() => validateTrialCount({ ...CODE, maxTrials: 0 })).toThrow(/maxTrials must be a positive integer, got 0/);
    expect(() => validateTrialCount({ ...CODE, hLow: -1 })).toThrow(/hLow must be a finite number ≥ 0, got -1/);
  });
});
