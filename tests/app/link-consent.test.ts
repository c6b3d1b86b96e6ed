import { afterEach, describe, expect, it } from 'vitest';
import { blockedByConsent, foreignModels, pendingConsent, setConsent, settleConsent } from '../../app/link-consent';

const ORIGIN = 'https://logitscope.app';

afterEach(() => setConsent(null));

describe('link consent (a link must not make the visitor download from another host unasked)', () => {
  it('asks for other hosts and uncurated Hub ids, never for built-in, local, same-origin or invalid specs', () => {
    expect(
      foreignModels(['builtin:stories260k', 'local:mine', '/models/x/', `${ORIGIN}/models/y/`, 'https://evil.example:8443/m/', 'org/model', 'javascript:alert(1)', null, undefined], ORIGIN, null),
    ).toEqual([
      { spec: 'https://evil.example:8443/m/', host: 'evil.example:8443' },
      { spec: 'org/model', host: 'huggingface.co' },
    ]);
    expect(foreignModels(['org/model', 'org/model'], ORIGIN, new Set(['org/model']))).toEqual([]);
  });

  it('blocks a run only while the form still names a pending model; curated ids are settled by the catalog', () => {
    setConsent({ models: foreignModels(['https://a.example/m/', 'HuggingFaceTB/SmolLM2-135M'], ORIGIN, null), run: true });
    expect(blockedByConsent(pendingConsent(), 'https://a.example/m/', null)).toBe(true);
    expect(blockedByConsent(pendingConsent(), 'builtin:stories260k', 'HuggingFaceTB/SmolLM2-135M')).toBe(true);
    expect(blockedByConsent(pendingConsent(), 'builtin:stories260k', null)).toBe(false);
    const left = settleConsent([{ id: 'HuggingFaceTB/SmolLM2-135M' }]);
    expect(left?.models.map((m) => m.spec)).toEqual(['https://a.example/m/']);
    expect(left?.run).toBe(true);
    expect(blockedByConsent(pendingConsent(), 'builtin:stories260k', 'HuggingFaceTB/SmolLM2-135M')).toBe(false);
    setConsent({ models: foreignModels(['HuggingFaceTB/SmolLM2-135M'], ORIGIN, null), run: false });
    expect(settleConsent([{ id: 'HuggingFaceTB/SmolLM2-135M' }])).toBeNull();
    expect(pendingConsent()).toBeNull();
  });
});
