import { describe, expect, it } from 'vitest';
import { parseCntpSettings } from '../../strategies/cntp/worker/settings';
import { validateRequest } from '../../workers/validate';

const base = { prompt: 'The Moon', model: 'builtin:tiny-llama', maxNewTokens: 8, seed: 1 };

describe('CNTP parameters at the worker boundary', () => {
  it('CNTP defaults: the reference code’s thresholds and trial count, chain T = 0.8 and top-p 0.9, cap 32', () => {
    const req = validateRequest({ ...base, panels: [{ strategy: 'cntp', params: {} }] });
    const s = parseCntpSettings(req.panels[0]!.params);
    expect(s.count).toEqual({ hLow: 0.01, hHigh: 1.5, maxTrials: 10, paperForm: false });
    expect(s.trialCap).toBe(32);
    expect(s.chain).toMatchObject({ temperature: 0.8, topP: 0.9, topK: 0, minP: 0, repetitionPenalty: 1 });
    expect(() => validateRequest({ ...base, panels: [{ strategy: 'cntp', params: { maxTrials: 0 } }] })).toThrow(/maxTrials must be an integer in \[1, 32\], got 0/);
  });
});
