import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkImportInputs, importLlama2c, MAX_CHECKPOINT_BYTES, MAX_TOKENIZER_BYTES } from '../../workers/llama2c/import-local';
import { LocalFolders } from '../../workers/model/local-folders';

const data = (name: string) => readFileSync(new URL(`../../data/llama2c/${name}`, import.meta.url));
const checkpoint = () => new File([data('stories260K.bin')], 'stories260K.bin');
const tokenizer = () => new File([data('tok512.bin')], 'tok512.bin');
const signal = new AbortController().signal;

/** A Blob that reports `size` without holding the bytes: only the size limits look at it. */
function sized(size: number, name: string): File {
  return new (class extends File {
    override get size() {
      return size;
    }
  })([], name);
}

describe('llama2.c import in the worker', () => {
  it('converts the real stories260K checkpoint into a loadable local folder', async () => {
    const folders = new LocalFolders();
    const info = await importLlama2c(folders, 'stories260K', checkpoint(), tokenizer());
    expect(info.spec).toBe('local:stories260K');
    expect(info.dtypes).toEqual(['fp32']);
    expect(info.header).toEqual({ dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKvHeads: 4, vocabSize: 512, seqLen: 512, sharedClassifier: true });
    const files = folders.files('stories260K');
    // model_superposed.onnx: superposed decoding's variant graph (docs/models.md#superposed-input-graph).
    expect(files.list()).toEqual(['config.json', 'generation_config.json', 'onnx/model.onnx', 'onnx/model_superposed.onnx', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect(info.files).toBe(7);
    const config = JSON.parse(new TextDecoder().decode(await files.read('config.json', () => undefined, signal))) as Record<string, unknown>;
    expect(config).toMatchObject({ num_hidden_layers: 5, hidden_size: 64, vocab_size: 512 });
    const onnx = await files.read('onnx/model.onnx', () => undefined, signal);
    // The graph carries every weight: at least the checkpoint's floats.
    expect(onnx.byteLength).toBeGreaterThan(1_000_000);
    expect(info.bytes).toBeGreaterThan(onnx.byteLength);
  });

  it('refuses a text file as checkpoint by name, and registers nothing', async () => {
    const folders = new LocalFolders();
    const notes = new File(['These are my notes about llama2.c, not a checkpoint.\n'], 'notes.bin');
    await expect(importLlama2c(folders, 'notes', notes, tokenizer())).rejects.toThrow(/^\[model-invalid\] notes\.bin: header field dim must be in .*is this a llama2\.c checkpoint\?/);
    expect(() => folders.files('notes')).toThrow(/not loaded/);
  });

  it('refuses a tokenizer that does not match, naming the tokenizer file', async () => {
    const folders = new LocalFolders();
    const cut = new File([data('tok512.bin').subarray(0, 3000)], 'tokenizer.bin');
    await expect(importLlama2c(folders, 'stories260K', checkpoint(), cut)).rejects.toThrow(/^\[model-invalid\] tokenizer\.bin: the file ends after \d+ of 512 tokens/);
    // A truncated checkpoint: the header describes more bytes than the file has.
    const short = new File([data('stories260K.bin').subarray(0, 100_000)], 'stories260K.bin');
    await expect(importLlama2c(folders, 'stories260K', short, tokenizer())).rejects.toThrow(/^\[model-invalid\] stories260K\.bin: the header .* describes 1056540 bytes, the file has 100000/);
  });

  it('a re-import of a name replaces the folder', async () => {
    const folders = new LocalFolders();
    await importLlama2c(folders, 'm', checkpoint(), tokenizer());
    const draft = await importLlama2c(folders, 'm', new File([data('stories-draft.bin')], 'stories-draft.bin'), tokenizer());
    expect(draft.header.nLayers).toBe(2);
    const config = JSON.parse(new TextDecoder().decode(await folders.files('m').read('config.json', () => undefined, signal))) as Record<string, unknown>;
    expect(config.num_hidden_layers).toBe(2);
  });
});

describe('llama2.c import boundary checks', () => {
  const ok = () => checkImportInputs('stories260K', checkpoint(), tokenizer());

  it('accepts a checkpoint and a tokenizer', () => {
    expect(ok).not.toThrow();
  });

  it('says which file is missing', () => {
    expect(() => checkImportInputs('m', checkpoint(), undefined)).toThrow(/^\[bad-request\] no tokenizer given: pick the tokenizer\.bin/);
    expect(() => checkImportInputs('m', null, tokenizer())).toThrow(/^\[bad-request\] no llama2\.c checkpoint given/);
  });

  it('refuses names a local: spec cannot carry', () => {
    expect(() => checkImportInputs('../x', checkpoint(), tokenizer())).toThrow(/local model names use letters, digits/);
    expect(() => checkImportInputs('', checkpoint(), tokenizer())).toThrow(/got ""/);
  });

  it('states the size limits it applies', () => {
    expect(() => checkImportInputs('m', sized(MAX_CHECKPOINT_BYTES + 1, 'huge.bin'), tokenizer())).toThrow(/^\[bad-request\] huge\.bin is 512\.0 MiB, more than the 512 MiB limit for converting a checkpoint in the page$/);
    expect(() => checkImportInputs('m', sized(MAX_CHECKPOINT_BYTES, 'edge.bin'), tokenizer())).not.toThrow();
    expect(() => checkImportInputs('m', checkpoint(), sized(MAX_TOKENIZER_BYTES + 1, 'tokenizer.bin'))).toThrow(/tokenizer\.bin is 64\.0 MiB, more than the 64 MiB a tokenizer\.bin may have/);
    expect(() => checkImportInputs('m', new File(['short'], 'tiny.bin'), tokenizer())).toThrow(/^\[model-invalid\] tiny\.bin is not a llama2\.c checkpoint: it has 5 bytes, fewer than the 28-byte header/);
    expect(() => checkImportInputs('m', checkpoint(), new Blob(['x']))).toThrow(/the tokenizer file is not a llama2\.c tokenizer\.bin: it has only 1 bytes/);
  });
});
