import { describe, expect, it } from 'vitest';
import { classifyLlama2cFiles, llama2cLocalName, looksLikeTokenizer } from '../../app/llama2c-files';

const LOCAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const f = (name: string, size: number) => ({ name, size });

describe('llama2.c file classification', () => {
  it('recognises tokenizer names', () => {
    for (const n of ['tokenizer.bin', 'tok512.bin', 'TOKENIZER_32k.bin', 'tok.bin']) expect(looksLikeTokenizer(n)).toBe(true);
    for (const n of ['stories15M.bin', 'model.bin', 'tokenizer.json', 'mytok512.bin']) expect(looksLikeTokenizer(n)).toBe(false);
  });

  it('takes the tokenizer by name, in either order, even when it is the larger file', () => {
    const model = f('stories260K.bin', 1_056_540);
    const tok = f('tok512.bin', 6_227);
    expect(classifyLlama2cFiles([model, tok])).toEqual({ ok: true, model, tokenizer: tok });
    expect(classifyLlama2cFiles([tok, model])).toEqual({ ok: true, model, tokenizer: tok });
    const big = f('tokenizer.bin', 2_000_000);
    const small = f('tiny.bin', 1000);
    expect(classifyLlama2cFiles([small, big])).toEqual({ ok: true, model: small, tokenizer: big });
  });

  it('falls back to the smaller file when names do not tell', () => {
    const a = f('a.bin', 60_000_000);
    const b = f('b.bin', 424_000);
    expect(classifyLlama2cFiles([a, b])).toEqual({ ok: true, model: a, tokenizer: b });
    expect(classifyLlama2cFiles([b, a])).toEqual({ ok: true, model: a, tokenizer: b });
    const t1 = f('tok1.bin', 10);
    const t2 = f('tokenizer.bin', 20);
    expect(classifyLlama2cFiles([t2, t1])).toEqual({ ok: true, model: t2, tokenizer: t1 });
  });

  it('refuses anything but two distinguishable files, saying what was picked', () => {
    const one = classifyLlama2cFiles([f('stories15M.bin', 10)]);
    expect(one.ok).toBe(false);
    expect(!one.ok && one.reason).toMatch(/two files.*tokenizer\.bin.*only stories15M\.bin/);
    expect(!classifyLlama2cFiles([]).ok && (classifyLlama2cFiles([]) as { reason: string }).reason).toMatch(/no file/);
    const three = classifyLlama2cFiles([f('a.bin', 1), f('b.bin', 2), f('c.bin', 3)]);
    expect(!three.ok && three.reason).toMatch(/got 3 files/);
    const same = classifyLlama2cFiles([f('a.bin', 5), f('b.bin', 5)]);
    expect(!same.ok && same.reason).toMatch(/Cannot tell which of a\.bin and b\.bin/);
  });
});

describe('llama2.c local names', () => {
  it.each([
    ['stories15M.bin', 'stories15M'],
    ['stories260K.BIN', 'stories260K'],
    ['my model (v2).bin', 'my-model-v2-'],
    ['-.hidden.bin', 'hidden'],
    ['..bin', 'llama2c'],
    ['ünïcode.bin', 'n-code'],
    ['C:\\models\\stories42M.bin', 'stories42M'],
    ['folder.bin', 'folder'],
  ])('%j becomes %j', (file, name) => {
    expect(llama2cLocalName(file)).toBe(name);
    expect(name).toMatch(LOCAL_NAME);
  });

  it('cuts long names to the 64 characters a local name may have', () => {
    const name = llama2cLocalName(`${'x'.repeat(100)}.bin`);
    expect(name).toHaveLength(64);
    expect(name).toMatch(LOCAL_NAME);
  });
});
