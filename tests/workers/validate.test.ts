import { describe, expect, it } from 'vitest';
import { resolveSource, onnxFileFor } from '../../workers/model/source';
import type { RunRequest } from '../../protocol';
import { LIMITS, validateRequest, validateTokenize } from '../../workers/validate';

const ok: RunRequest = { prompt: 'Hi', model: 'builtin:tiny-llama', maxNewTokens: 8, seed: 0, panels: [{ strategy: 'greedy', params: {} }] };

describe('run request validation names the field and the value', () => {
  it('accepts a good request and defaults the backend', () => {
    expect(validateRequest(ok).backend).toBe('auto');
  });
  it.each([
    [{ prompt: '  \n' }, /prompt must not be empty/],
    [{ prompt: 'x'.repeat(LIMITS.maxPromptChars + 1) }, /prompt must be at most/],
    [{ maxNewTokens: 0 }, /max new tokens .* got 0/],
    [{ maxNewTokens: 2.5 }, /got 2.5/],
    [{ maxNewTokens: Number.NaN }, /got NaN/],
    [{ maxNewTokens: LIMITS.maxNewTokensMax + 1 }, /max new tokens/],
    [{ seed: -1 }, /seed .* got -1/],
    [{ dtype: 'q3' }, /dtype must be one of .* "q3"/],
    [{ backend: 'cuda' }, /backend must be one of auto, webgpu, wasm, got "cuda"/],
    [{ panels: [] }, /panels must list 1 to 6/],
    [{ panels: Array(7).fill({ strategy: 'greedy', params: {} }) }, /got 7/],
    [{ panels: [{ strategy: 'nucleus', params: {} }] }, /unknown strategy "nucleus"/],
    [{ panels: [{ strategy: 'greedy', params: { k: 3 } }] }, /Greedy has no parameter "k"/],
  ])('rejects %j', (patch, message) => {
    expect(() => validateRequest({ ...ok, ...(patch as Partial<RunRequest>) })).toThrow(message);
  });
  it('errors carry the bad-request code for the UI', () => {
    expect(() => validateRequest({ ...ok, prompt: '' })).toThrow(/^\[bad-request\]/);
  });
});

describe('tokenize request validation (the prompt token view)', () => {
  it('allows an empty prompt and refuses what a run refuses', () => {
    expect(() => validateTokenize('builtin:tiny-llama', '')).not.toThrow();
    expect(() => validateTokenize(' ', 'Hi')).toThrow(/model must not be empty/);
    expect(() => validateTokenize('builtin:tiny-llama', 42)).toThrow(/text to tokenize must be a string/);
    const long = 'x'.repeat(LIMITS.maxPromptChars + 1);
    expect(() => validateTokenize('builtin:tiny-llama', long)).toThrow(`prompt must be at most ${LIMITS.maxPromptChars} characters, got ${long.length}`);
    expect(() => validateRequest({ ...ok, prompt: long })).toThrow(`prompt must be at most ${LIMITS.maxPromptChars} characters, got ${long.length}`);
  });
});

describe('model sources', () => {
  const origin = 'http://127.0.0.1:4173';
  it('resolves built-ins, same-origin folders, https folders and Hub ids', () => {
    expect(resolveSource('builtin:tiny-llama', origin).baseUrl).toBe(`${origin}/models/builtin/tiny-llama/`);
    expect(resolveSource('/models/x', origin)).toMatchObject({ kind: 'url', baseUrl: `${origin}/models/x/` });
    expect(resolveSource('https://example.org/m/?a=1', origin).baseUrl).toBe('https://example.org/m/');
    expect(resolveSource('some-org/some-model', origin)).toMatchObject({ kind: 'hub', baseUrl: 'https://huggingface.co/some-org/some-model/resolve/main/' });
  });
  it.each(['javascript:alert(1)', '//evil.example/x', 'http://plain.example/m/', 'builtin:../../etc', 'a/b/c', '<img>', 'org/..'])('rejects %s', (spec) => {
    expect(() => resolveSource(spec, origin)).toThrow(/^\[bad-request\] model must be/);
  });
  it('maps dtypes to the Hub file layout', () => {
    expect(onnxFileFor('fp32')).toBe('onnx/model.onnx');
    expect(onnxFileFor('q4f16')).toBe('onnx/model_q4f16.onnx');
    expect(onnxFileFor('q8')).toBe('onnx/model_quantized.onnx');
  });
});
