import { describe, expect, it } from 'vitest';
import { DEFAULT_URL_STATE, parseUrlState, serializeUrlState, URL_MODES, type UrlState } from '../../app/url-state';

const full: UrlState = {
  model: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  draft: 'builtin:tiny-llama-draft',
  dtype: 'q4f16',
  backend: 'wasm',
  prompt: 'Say "hi" & <b>bye</b>; 1+1=2, 100% sure?\nNext line #hash',
  maxNewTokens: 128,
  seed: 4294967295,
  panels: [
    { strategy: 'greedy', params: {} },
    { strategy: 'speculative', params: { k: 4, adaptive: true, mode: 'fast', temp: 0.7 } },
    { strategy: 'grad', params: { corpus: 'Once, upon; a (time) = "x" 50% café\nend', label: '4', flag: 'true' } },
  ],
  chatTemplate: true,
  logitLens: false,
  run: true,
  modes: ['present'],
  lesson: 'greedy-vs-sampling',
};

function roundTrip(state: UrlState): UrlState {
  const parsed = parseUrlState(`?${serializeUrlState(state)}`);
  expect(parsed.errors).toEqual([]);
  return { ...DEFAULT_URL_STATE, ...parsed.state };
}

describe('url state round trip', () => {
  it('gives back every field', () => {
    expect(roundTrip(full)).toEqual(full);
  });

  it('gives back the defaults, and omits null/false optional fields', () => {
    const text = serializeUrlState({ ...DEFAULT_URL_STATE });
    expect(text).not.toMatch(/dtype=|chat=|lens=|run=|mode=/);
    expect(roundTrip({ ...DEFAULT_URL_STATE })).toEqual(DEFAULT_URL_STATE);
    const noDraft = { ...DEFAULT_URL_STATE, draft: null };
    expect(serializeUrlState(noDraft)).not.toMatch(/draft=/);
    expect(roundTrip(noDraft)).toEqual(noDraft);
  });

  it('defaults to the trained stories260K pair; a link naming a model without a draft has no draft', () => {
    expect(DEFAULT_URL_STATE).toMatchObject({ model: 'builtin:stories260k', draft: 'builtin:stories-draft' });
    expect(parseUrlState('').state).toEqual({});
    expect(parseUrlState('?model=builtin:tiny-llama').state).toEqual({ model: 'builtin:tiny-llama', draft: null });
    expect(parseUrlState('?model=builtin:tiny-llama&draft=builtin:tiny-llama-draft').state).toMatchObject({ draft: 'builtin:tiny-llama-draft' });
    expect(parseUrlState('?max=5').state).toEqual({ maxNewTokens: 5 });
  });

  it('keeps model ids, URLs and panel lists readable', () => {
    const text = serializeUrlState({ ...full, model: 'https://example.org/models/x' });
    expect(text).toContain('model=https://example.org/models/x');
    expect(text).toContain('panels=greedy,speculative(k=4;adaptive=true;mode=fast;temp=0.7),grad(corpus=');
  });

  it('round-trips same-origin paths and builtins', () => {
    for (const model of ['/models/stories260k', 'builtin:tiny-llama']) {
      expect(roundTrip({ ...full, model }).model).toBe(model);
    }
  });

  it('round-trips prompts with unicode, plus signs and percent signs', () => {
    const prompt = 'café + naïve = 50% 🙂 a=b&c=d';
    expect(roundTrip({ ...full, prompt }).prompt).toBe(prompt);
  });

  it('parses the documented example', () => {
    const { state, errors } = parseUrlState('?model=builtin:tiny-llama&panels=greedy,speculative(k=4)&max=64&seed=7&run=1');
    expect(errors).toEqual([]);
    expect(state).toEqual({
      model: 'builtin:tiny-llama',
      draft: null,
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'speculative', params: { k: 4 } },
      ],
      maxNewTokens: 64,
      seed: 7,
      run: true,
    });
  });
});

describe('url page mode', () => {
  it('mode=present opens presentation mode and is written back by serialize', () => {
    const { state, errors } = parseUrlState('?mode=present');
    expect(errors).toEqual([]);
    expect(state).toEqual({ modes: ['present'] });
    expect(serializeUrlState({ ...DEFAULT_URL_STATE, modes: ['present'] })).toMatch(/&mode=present$/);
    expect(URL_MODES).toContain('present');
    expect(parseUrlState('?mode=present,step').state).toEqual({ modes: ['present', 'step'] });
    expect(serializeUrlState({ ...DEFAULT_URL_STATE, modes: ['step'] })).toMatch(/&mode=step$/);
  });

  it('an unknown mode is reported with its name and the modes there are, and the rest of the link still applies', () => {
    const { state, errors } = parseUrlState('?mode=slideshow&max=5');
    expect(state).toEqual({ maxNewTokens: 5 });
    expect(errors).toEqual([{ field: 'mode', value: 'slideshow', message: 'mode: "slideshow" is not a page mode (one of: present, step)' }]);
    const listed = parseUrlState('?mode=present,step2').errors[0]?.message;
    expect(listed).toBe('mode: "present,step2" names "step2", which is not a page mode (one of: present, step)');
    expect(parseUrlState('?mode=present,present').errors[0]?.message).toBe('mode: "present,present" names present twice');
  });
});

describe('url state rejects fields one by one', () => {
  const cases: [string, string][] = [
    ['model', '<script>alert(1)</script>'],
    ['model', 'javascript:alert(1)'],
    ['model', 'JAVASCRIPT:alert(1)'],
    ['model', 'data:text/html,<script>alert(1)</script>'],
    ['model', 'http://example.org/model'],
    ['model', '//evil.example/model'],
    ['model', 'https://user:pw@example.org/m'],
    ['model', 'org/name/extra'],
    ['model', 'org--x/name'],
    ['model', 'builtin:<img src=x>'],
    ['draft', 'vbscript:msgbox'],
    ['dtype', 'int3'],
    ['dtype', 'FP32'],
    ['backend', 'webgl'],
    ['max', 'NaN'],
    ['max', '0'],
    ['max', '-5'],
    ['max', '1.5'],
    ['max', '1e3'],
    ['max', 'Infinity'],
    ['seed', '-1'],
    ['seed', '0x10'],
    ['seed', '99999999999999999999'],
    ['seed', '4294967296'],
    ['panels', ''],
    ['panels', 'greedy,'],
    ['panels', '<script>'],
    ['panels', 'speculative(k=4'],
    ['panels', 'speculative(k=<b>)'],
    ['panels', 'speculative(k=4;k=5)'],
    ['panels', 'speculative(=4)'],
    ['panels', 'grad(corpus="%E0%A4%A")'],
    ['panels', 'grad(corpus=a b)'],
    ['chat', 'yes'],
    ['run', 'true'],
    ['mode', 'presentation'],
    ['mode', 'PRESENT'],
    ['mode', ''],
    ['mode', 'present,present'],
    ['mode', 'present,'],
    ['mode', 'present,<b>'],
  ];

  it.each(cases)('%s=%s', (field, value) => {
    const search = new URLSearchParams({ [field]: value, prompt: 'kept', seed: field === 'seed' ? value : '3' });
    const { state, errors } = parseUrlState(search.toString());
    const error = errors.find((e) => e.field === field);
    expect(error).toBeDefined();
    expect(error?.value).toBe(value);
    expect(error?.message.startsWith(`${field}: `)).toBe(true);
    expect(error?.message).toContain(JSON.stringify(value).slice(1, 20));
    expect(state.prompt).toBe('kept');
    if (field !== 'seed') expect(state.seed).toBe(3);
    const key = ({ max: 'maxNewTokens', chat: 'chatTemplate', mode: 'modes' } as Record<string, string>)[field] ?? field;
    expect(state).not.toHaveProperty(key);
  });

  it('keeps a hostile prompt as literal text', () => {
    const prompt = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    const { state, errors } = parseUrlState(new URLSearchParams({ prompt }).toString());
    expect(errors).toEqual([]);
    expect(state.prompt).toBe(prompt);
  });

  it('truncates long values in messages', () => {
    const value = 'x'.repeat(500);
    const { errors } = parseUrlState(new URLSearchParams({ dtype: value }).toString());
    expect(errors[0]?.message.length).toBeLessThan(200);
  });

  it('ignores unknown parameters', () => {
    expect(parseUrlState('?utm_source=x&foo=<b>')).toEqual({ state: {}, errors: [] });
  });
});

describe('backend in the URL', () => {
  it('defaults to auto, and auto, webgpu and wasm all parse and round-trip', () => {
    expect(DEFAULT_URL_STATE.backend).toBe('auto');
    for (const backend of ['auto', 'webgpu', 'wasm'] as const) {
      const { state, errors } = parseUrlState(`?backend=${backend}`);
      expect(errors).toEqual([]);
      expect(state.backend).toBe(backend);
      expect(parseUrlState(serializeUrlState({ ...full, backend })).state.backend).toBe(backend);
    }
  });
  it('an old link without backend leaves it unset (the default applies)', () => {
    expect(parseUrlState('?model=builtin:stories260k&max=8').state.backend).toBeUndefined();
  });
});
