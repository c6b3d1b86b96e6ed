import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchModelFile } from '../../workers/model/fetch-file';

describe('fetchModelFile: a JSON file read twice in a short time', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('downloads it once and reports it as downloaded (not cached) to both readers', async () => {
    const body = JSON.stringify({ model_type: 'llama' });
    const fetchSpy = vi.fn(async () => new Response(body, { headers: { 'content-length': String(body.length) } }));
    vi.stubGlobal('fetch', fetchSpy);
    const url = `https://example.test/dedupe-${Math.random()}/config.json`;
    const seen: boolean[] = [];
    const progress = (_l: number, _t: number, fromCache: boolean) => seen.push(fromCache);
    const [a, b] = await Promise.all([
      fetchModelFile(url, progress, { useCache: false }),
      fetchModelFile(url, progress, { useCache: false }),
    ]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(new TextDecoder().decode(a)).toBe(body);
    expect(new TextDecoder().decode(b)).toBe(body);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((c) => c === false)).toBe(true);
  });

  it('downloads a failed file again on the next read', async () => {
    let calls = 0;
    vi.stubGlobal('fetch', vi.fn(async () => (++calls === 1 ? new Response('no', { status: 404 }) : new Response('{}'))));
    const url = `https://example.test/retry-${Math.random()}/config.json`;
    await expect(fetchModelFile(url, () => undefined, { useCache: false })).rejects.toThrow(/HTTP 404/);
    const bytes = await fetchModelFile(url, () => undefined, { useCache: false });
    expect(new TextDecoder().decode(bytes)).toBe('{}');
    expect(calls).toBe(2);
  });

  it('does not share ONNX files: each read downloads', async () => {
    const fetchSpy = vi.fn(async () => new Response(new Uint8Array([1, 2, 3])));
    vi.stubGlobal('fetch', fetchSpy);
    const url = `https://example.test/onnx-${Math.random()}/onnx/model.onnx`;
    await fetchModelFile(url, () => undefined, { useCache: false });
    await fetchModelFile(url, () => undefined, { useCache: false });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });
});
