import { describe, expect, it } from 'vitest';
import { chainParams, GREEDY_CHAIN, isSampling, parseChain } from '../../workers/processors/chain';
import { checkParam } from '../../protocol';
import { sample } from '../../strategies/base/worker/sample';
import { greedy } from '../../strategies/base/worker/greedy';

describe('chain params', () => {
  it('lists the processors and Mirostat (sampling knobs first) with per-strategy defaults', () => {
    const names = chainParams().map((p) => p.name);
    expect(names).toEqual(['temperature', 'topK', 'topP', 'minP', 'typicalP', 'epsilonCutoff', 'etaCutoff', 'mirostatTau', 'mirostatEta', 'repetitionPenalty', 'presencePenalty']);
    const defaults = (s: ReturnType<typeof chainParams>) => Object.fromEntries(s.map((p) => [p.name, p.default]));
    expect(defaults(chainParams())).toEqual({ temperature: 0, topK: 0, topP: 1, minP: 0, typicalP: 1, epsilonCutoff: 0, etaCutoff: 0, mirostatTau: 0, mirostatEta: 0.1, repetitionPenalty: 1, presencePenalty: 0 });
    expect(defaults(chainParams({ temperature: 0.8, topP: 0.9 }))).toMatchObject({ temperature: 0.8, topP: 0.9, topK: 0 });
    expect(defaults(sample.info.params).temperature).toBe(1);
    expect(defaults(greedy.info.params).temperature).toBe(0);
  });

  it('parses missing params as the greedy chain', () => {
    expect(parseChain({})).toEqual(GREEDY_CHAIN);
    expect(parseChain({ temperature: 0.7, topK: 40, topP: 0.95, minP: 0.05, repetitionPenalty: 1.2 })).toEqual({ temperature: 0.7, topK: 40, topP: 0.95, minP: 0.05, typicalP: 1, epsilonCutoff: 0, etaCutoff: 0, mirostatTau: 0, mirostatEta: 0.1, repetitionPenalty: 1.2, presencePenalty: 0 });
  });

  it.each([
    [{ topP: 0 }, /topP must be a number in \(0, 1\], got 0$/],
    [{ topP: 1.5 }, /topP must be a number in \(0, 1\], got 1.5$/],
    [{ repetitionPenalty: 0 }, /repetitionPenalty must be a number in \(0, 100\], got 0$/],
    [{ topK: 2.5 }, /topK must be an integer in \[0, 16777216\], got 2.5$/],
    [{ temperature: -1 }, /temperature must be a number in \[0, 100\], got -1$/],
    [{ minP: 2 }, /minP must be a number in \[0, 1\], got 2$/],
    [{ presencePenalty: 3 }, /presencePenalty must be a number in \[-2, 2\], got 3$/],
    [{ epsilonCutoff: 1 }, /epsilonCutoff must be a number in \[0, 1\), got 1$/],
    [{ etaCutoff: -0.1 }, /etaCutoff must be a number in \[0, 1\), got -0.1$/],
    [{ temperature: 'hot' }, /temperature must be a number in \[0, 100\], got "hot"$/],
  ])('rejects %j naming the parameter and value', (params, message) => {
    expect(() => parseChain(params as never)).toThrow(message);
  });

  it('the schema ranges reject out-of-range values at the request boundary', () => {
    const [temperature, topK] = chainParams();
    expect(checkParam(temperature!, -0.5)).toEqual({ ok: false, message: 'temperature must be a number in [0, 100], got -0.5' });
    expect(checkParam(topK!, 1.5)).toEqual({ ok: false, message: 'topK must be an integer in [0, 16777216], got 1.5' });
  });

  it('treats temperatures below 1e-5 as greedy', () => {
    expect(isSampling({ ...GREEDY_CHAIN, temperature: 1e-6 })).toBe(false);
    expect(isSampling({ ...GREEDY_CHAIN, temperature: 1e-5 })).toBe(true);
    expect(isSampling({ ...GREEDY_CHAIN, temperature: 0 })).toBe(false);
  });
});
