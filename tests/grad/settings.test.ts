import { describe, expect, it } from 'vitest';
import { MAX_CORPUS_CHARS } from '../../workers/decode/corpus';
import { parseGradSettings } from '../../strategies/grad/worker/settings';
import { validateRequest } from '../../workers/validate';

const base = { prompt: 'The Moon', model: 'builtin:tiny-llama', maxNewTokens: 8, seed: 1 };

describe('GRAD parameters at the worker boundary', () => {
  it('GRAD defaults: sample corpus, top-10, variant A with λ = 1, λ_B = 0.3, γ = 0.5, no penalty', () => {
    const req = validateRequest({ ...base, panels: [{ strategy: 'grad', params: {} }] });
    const s = parseGradSettings(req.panels[0]!.params);
    expect(s.corpusName).toBe('solar-system');
    expect(s.corpus).toBe('');
    expect(s.topN).toBe(10);
    expect(s.fusion).toEqual({ variant: 'A', lambda: 1, lambdaB: 0.3, gamma: 0.5 });
    expect(s.chain.repetitionPenalty).toBe(1);
    expect(s.chain.temperature).toBe(0);
  });

  it('accepts pasted text up to the limit and rejects longer or non-text corpora, naming the parameter', () => {
    const ok = validateRequest({ ...base, panels: [{ strategy: 'grad', params: { corpus: 'a\n\nb' } }] });
    expect(ok.panels[0]!.params.corpus).toBe('a\n\nb');
    const long = 'x'.repeat(MAX_CORPUS_CHARS + 1);
    expect(() => validateRequest({ ...base, panels: [{ strategy: 'grad', params: { corpus: long } }] })).toThrow(`Panel 1 (grad): corpus must be text of at most ${MAX_CORPUS_CHARS} characters, got ${MAX_CORPUS_CHARS + 1} characters`);
    expect(() => validateRequest({ ...base, panels: [{ strategy: 'grad', params: { corpus: 3 } }] })).toThrow(`Panel 1 (grad): corpus must be text of at most ${MAX_CORPUS_CHARS} characters, got 3`);
    expect(() => validateRequest({ ...base, panels: [{ strategy: 'grad', params: { corpusName: 'moon' } }] })).toThrow(/corpusName must be one of none, solar-system, human-body, pirate-tales, got "moon"/);
    expect(() => validateRequest({ ...base, panels: [{ strategy: 'grad', params: { lambdaB: 1 } }] })).toThrow(/lambdaB must be a number in \[0, 0.99\], got 1/);
  });
});
