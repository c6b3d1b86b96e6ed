import { describe, expect, it } from 'vitest';
import { cachedFolder, effectiveDtype, hubFolderUrl, hubPairs, revisionLabel, sizeLabel } from '../../app/hub-models';
import { localNameOf, pickedFolderName } from '../../app/local-folder';
import { checkModelSpec } from '../../app/model-spec';
import { parseUrlState } from '../../app/url-state';
import { preferredDtypes as workerPreferred } from '../../workers/model/dtype';
import { hubBaseUrl } from '../../workers/model/source';
import { HUB_CATALOG } from '../../workers/model/catalog';
import { preferredDtypes as appPreferred } from '../../app/hub-models';
import type { HubModelEntry } from '../../protocol';

const entry: HubModelEntry = {
  id: 'org/m',
  label: 'M',
  description: '',
  family: 'f',
  role: 'draft',
  pairedWith: 'org/big',
  revision: 'main',
  vocabSize: 10,
  instruct: true,
  sizes: { fp32: 4e9, q4: 1.5e9, q4f16: null },
  sizeNote: '',
};

describe('picker helpers', () => {
  it('uses the same auto-dtype preference as the worker', () => {
    for (const f16 of [true, false]) expect(appPreferred(f16)).toEqual(workerPreferred(f16));
  });

  it('picks the dtype a run will load, or null for an override the export lacks', () => {
    expect(effectiveDtype(entry, null, true)).toBe('q4f16');
    expect(effectiveDtype(entry, null, false)).toBe('q4');
    expect(effectiveDtype(entry, 'fp32', true)).toBe('fp32');
    expect(effectiveDtype(entry, 'q8', true)).toBeNull();
  });

  it('shows decimal sizes as the Hub does, and "size unknown" for missing ones', () => {
    expect(sizeLabel(134e6)).toBe('about 134 MB');
    expect(sizeLabel(1.22e9)).toBe('about 1.22 GB');
    expect(sizeLabel(6.21106e9)).toBe('about 6.21 GB');
    expect(sizeLabel(null)).toBe('size unknown');
    expect(sizeLabel(undefined)).toBe('size unknown');
  });

  it('builds the pairs of the real catalog, target and draft from the same family', () => {
    const pairs = hubPairs(HUB_CATALOG);
    expect(pairs.map((p) => p.family).sort()).toEqual(['qwen2.5', 'smollm2']);
    for (const p of pairs) {
      expect(p.draft.role).toBe('draft');
      expect(p.target.role).toBe('target');
      expect(p.target.family).toBe(p.draft.family);
    }
    expect(hubPairs([entry])).toEqual([]);
  });

  it('finds cached folders at the URL the worker downloads from', () => {
    for (const e of HUB_CATALOG) expect(hubFolderUrl(e)).toBe(hubBaseUrl(e.id, e.revision));
    const cached = [{ base: hubFolderUrl(entry), label: 'x', files: 3, bytes: 9 }];
    expect(cachedFolder(entry, cached)?.files).toBe(3);
    expect(cachedFolder({ ...entry, revision: 'abc' }, cached)).toBeUndefined();
  });

  it('labels revisions', () => {
    expect(revisionLabel('8065371cb317383b7a3ea72b72ab5affe24bd30f')).toBe('pinned to 8065371');
    expect(revisionLabel('main')).toBe('main (not pinned)');
  });

  it('names local folders safely from picked paths', () => {
    expect(pickedFolderName([{ path: 'tiny llama/config.json', file: new Blob() }, { path: 'tiny llama/onnx/model.onnx', file: new Blob() }])).toBe('tiny llama');
    expect(localNameOf('tiny llama')).toBe('tiny-llama');
    expect(localNameOf('..')).toBe('folder');
    expect(pickedFolderName([{ path: 'config.json', file: new Blob() }])).toBe('folder');
  });

  it('accepts local:<name> in the form but never from a link', () => {
    expect(checkModelSpec('local:tiny-llama')).toEqual({ ok: true, kind: 'local', value: 'local:tiny-llama' });
    expect(checkModelSpec('local:../x').ok).toBe(false);
    const parsed = parseUrlState('?model=local:tiny-llama&draft=local:d');
    expect(parsed.state.model).toBeUndefined();
    expect(parsed.errors.map((e) => e.field)).toEqual(['model', 'draft']);
    expect(parsed.errors[0]!.message).toContain('local folder');
  });
});
