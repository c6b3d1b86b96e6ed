import { describe, expect, it } from 'vitest';
import { LocalFolders, normalizeLocalPaths } from '../../workers/model/local-folders';
import { resolveSource } from '../../workers/model/source';
import type { LocalFile } from '../../protocol';

const f = (path: string, text = path): LocalFile => ({ path, file: new Blob([text]) });
const folder = (prefix: string) => [f(`${prefix}config.json`, '{}'), f(`${prefix}tokenizer.json`), f(`${prefix}onnx/model.onnx`), f(`${prefix}onnx/model_q4.onnx`)];

describe('local folders', () => {
  it('drops the picked folder name from webkitRelativePath-style paths', () => {
    expect([...normalizeLocalPaths(folder('tiny-llama/')).keys()]).toEqual(['config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model_q4.onnx']);
    // A drop of the folder's contents keeps paths as they are.
    expect([...normalizeLocalPaths(folder('')).keys()]).toContain('onnx/model.onnx');
    expect([...normalizeLocalPaths([f('a\\config.json'), f('a\\onnx\\model.onnx')]).keys()]).toEqual(['config.json', 'onnx/model.onnx']);
  });

  it.each([['../config.json'], ['/etc/passwd'], ['a/../../b'], ['']])('refuses the path %j', (path) => {
    expect(() => normalizeLocalPaths([f(path)])).toThrow(/path/);
  });

  it('refuses duplicates, empty folders and non-Blob entries, naming the problem', () => {
    expect(() => normalizeLocalPaths([f('x/config.json'), f('x/config.json')])).toThrow(/twice/);
    expect(() => normalizeLocalPaths([])).toThrow(/no files/);
    expect(() => normalizeLocalPaths([{ path: 'config.json', file: 'text' as unknown as Blob }])).toThrow(/not a File or Blob/);
  });

  it('registers a model folder with its size and dtypes, and serves its files', async () => {
    const reg = new LocalFolders();
    const info = reg.register('tiny', folder('tiny-llama/'));
    expect(info.spec).toBe('local:tiny');
    expect(info.files).toBe(4);
    expect(info.dtypes.sort()).toEqual(['fp32', 'q4']);
    const files = reg.files('tiny');
    expect(files.list()).toEqual(['config.json', 'onnx/model.onnx', 'onnx/model_q4.onnx', 'tokenizer.json']);
    const seen: number[] = [];
    const bytes = await files.read('config.json', (l) => seen.push(l), new AbortController().signal);
    expect(new TextDecoder().decode(bytes)).toBe('{}');
    expect(seen.at(-1)).toBe(2);
    await expect(files.read('tokenizer_config.json', () => undefined, new AbortController().signal)).rejects.toThrow(/no tokenizer_config\.json/);
    expect(await files.exists('onnx/model_q4.onnx')).toBe(true);
  });

  it('refuses a folder without config.json, and bad names', () => {
    const reg = new LocalFolders();
    expect(() => reg.register('x', [f('onnx/model.onnx')])).toThrow(/no config\.json/);
    expect(() => reg.register('../x', folder(''))).toThrow(/names/);
    expect(() => reg.files('never-registered')).toThrow(/pick it again/);
  });

  it('a cancelled read ends with a cancelled error', async () => {
    const reg = new LocalFolders();
    reg.register('c', folder(''));
    const ac = new AbortController();
    ac.abort();
    await expect(reg.files('c').read('config.json', () => undefined, ac.signal)).rejects.toThrow(/\[cancelled\]/);
  });

  it('resolves local:<name> specs and rejects malformed ones', () => {
    expect(resolveSource('local:tiny-llama', 'http://o')).toMatchObject({ kind: 'local', baseUrl: 'local:tiny-llama/' });
    expect(() => resolveSource('local:../x', 'http://o')).toThrow(/local model names/);
  });
});
