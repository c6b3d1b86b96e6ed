import { describe, expect, it } from 'vitest';
import { CATALOG_EXTERNAL_DATA, HUB_CATALOG, catalogDtypes, catalogEntry } from '../../workers/model/catalog';
import { resolveSource } from '../../workers/model/source';
import { DTYPES, type Dtype } from '../../protocol';

const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

describe('curated Hub catalog metadata', () => {
  it('lists the two pairs the issue names, by Hub id', () => {
    const ids = HUB_CATALOG.map((e) => e.id).sort();
    expect(ids).toEqual(['HuggingFaceTB/SmolLM2-135M-Instruct', 'HuggingFaceTB/SmolLM2-360M-Instruct', 'onnx-community/Qwen2.5-0.5B-Instruct', 'onnx-community/Qwen2.5-1.5B-Instruct'].sort());
  });

  it.each(HUB_CATALOG.map((e) => [e.id, e] as const))('%s has well-formed metadata', (_id, e) => {
    expect(e.id).toMatch(HUB_ID);
    // A full 40-hex commit id, or the explicit "main" for an unverified revision: never a short or made-up ref.
    expect(e.revision === 'main' || /^[0-9a-f]{40}$/.test(e.revision)).toBe(true);
    expect(e.label.length).toBeGreaterThan(0);
    expect(e.description.length).toBeGreaterThan(0);
    expect(e.sizeNote.length).toBeGreaterThan(0);
    expect(e.instruct).toBe(true);
    for (const [dtype, size] of Object.entries(e.sizes)) {
      expect(DTYPES).toContain(dtype);
      if (size !== null) expect(size).toBeGreaterThan(1e6);
    }
    expect(catalogDtypes(e).length).toBeGreaterThan(0);
    expect(catalogEntry(e.id)).toBe(e);
  });

  it('has sizes that fall with precision (q4f16 < fp16 < fp32, q4 < fp32)', () => {
    for (const e of HUB_CATALOG) {
      const s = e.sizes;
      if (s.q4f16 && s.fp16) expect(s.q4f16).toBeLessThan(s.fp16);
      if (s.fp16 && s.fp32) expect(s.fp16).toBeLessThan(s.fp32);
      if (s.q4 && s.fp32) expect(s.q4).toBeLessThan(s.fp32);
      if (s.q4f16 && s.q4) expect(s.q4f16).toBeLessThan(s.q4);
    }
  });

  it('pairs are symmetric: one draft and one target per family, same vocabulary, the target larger', () => {
    for (const e of HUB_CATALOG) {
      const other = catalogEntry(e.pairedWith);
      expect(other, `${e.id} pairs with a catalog entry`).toBeDefined();
      expect(other!.pairedWith).toBe(e.id);
      expect(other!.family).toBe(e.family);
      expect(other!.vocabSize).toBe(e.vocabSize);
      expect(new Set([e.role, other!.role])).toEqual(new Set(['draft', 'target']));
      const [draft, target] = e.role === 'draft' ? [e, other!] : [other!, e];
      expect(target.sizes.fp32! > draft.sizes.fp32!).toBe(true);
    }
  });

  it('has the vocabulary sizes the issue gives (SmolLM2 49,152; Qwen2.5 151,936)', () => {
    for (const e of HUB_CATALOG) expect(e.vocabSize).toBe(e.family === 'smollm2' ? 49_152 : 151_936);
  });

  it('names external data only for catalog models and dtypes they offer', () => {
    for (const [id, byDtype] of Object.entries(CATALOG_EXTERNAL_DATA)) {
      const e = catalogEntry(id);
      expect(e).toBeDefined();
      for (const d of Object.keys(byDtype) as Dtype[]) expect(catalogDtypes(e!)).toContain(d);
    }
  });

  it('resolves a catalog id to its pinned revision and other Hub ids to main', () => {
    for (const e of HUB_CATALOG) {
      const src = resolveSource(e.id, 'http://127.0.0.1');
      expect(src.kind).toBe('hub');
      expect(src.revision).toBe(e.revision);
      expect(src.baseUrl).toBe(`https://huggingface.co/${e.id}/resolve/${e.revision}/`);
    }
    expect(resolveSource('someone/else', 'http://127.0.0.1').revision).toBe('main');
  });
});
