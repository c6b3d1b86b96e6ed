import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteCachedModel, folderLabel, listCachedModels, modelFolderOf } from '../../workers/model/cache-store';
import { CACHE_NAME } from '../../workers/model/fetch-file';
import { installFakeCaches, removeFakeCaches } from './fake-cache';

const HUB = 'https://huggingface.co/org/model/resolve/8065371cb317383b7a3ea72b72ab5affe24bd30f/';

beforeEach(() => installFakeCaches());
afterEach(() => removeFakeCaches());

async function put(url: string, bytes: number, withLength = true): Promise<void> {
  const cache = await caches.open(CACHE_NAME);
  await cache.put(url, new Response(new Uint8Array(bytes), withLength ? { headers: { 'content-length': String(bytes) } } : {}));
}

describe('models on this device', () => {
  it('finds the model folder of a cached file', () => {
    expect(modelFolderOf(`${HUB}onnx/model_q4.onnx`)).toBe(HUB);
    expect(modelFolderOf(`${HUB}tokenizer.json`)).toBe(HUB);
    expect(modelFolderOf('http://127.0.0.1:1/fixtures/plain/tiny-llama/config.json')).toBe('http://127.0.0.1:1/fixtures/plain/tiny-llama/');
  });

  it('labels Hub folders by id and short revision', () => {
    expect(folderLabel(HUB)).toBe('org/model@8065371');
    expect(folderLabel('https://huggingface.co/org/model/resolve/main/')).toBe('org/model@main');
    expect(folderLabel('http://127.0.0.1/x/')).toBe('http://127.0.0.1/x/');
  });

  it('groups cached files by folder with counts and sizes, and deletes one folder only', async () => {
    await put(`${HUB}config.json`, 10);
    await put(`${HUB}onnx/model_q4.onnx`, 1000, false);
    await put('http://127.0.0.1/x/config.json', 7);
    const list = await listCachedModels();
    expect(list).toHaveLength(2);
    const hub = list.find((c) => c.base === HUB)!;
    expect(hub).toMatchObject({ label: 'org/model@8065371', files: 2, bytes: 1010 });
    expect(await deleteCachedModel(HUB)).toBe(2);
    expect((await listCachedModels()).map((c) => c.base)).toEqual(['http://127.0.0.1/x/']);
    await expect(deleteCachedModel('not-a-folder')).rejects.toThrow(/ending with \//);
  });
});
