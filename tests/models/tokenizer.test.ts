// The shared byte-level tokenizer loads in transformers.js, prepends BOS and round-trips UTF-8.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOS_ID, EOS_ID, PAD_ID, TOKENIZER_VOCAB_SIZE, builtinNames } from '../../scripts/testmodels/reference';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';

const SAMPLES = [
  'Hello, world!',
  'emoji 👋🏽 and 👨‍👩‍👧 family',
  'line one\nline two\r\n\ttabbed',
  '<img src=x onerror=alert(1)>',
  '  two leading spaces and trailing  ',
  'café Ünïcödé 日本語 العربية',
  '',
];

let dir = '';
beforeAll(() => {
  dir = writeBuiltinModelsToTemp();
  env.localModelPath = `${dir}/`;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(builtinNames)('%s tokenizer in transformers.js', (name) => {
  let tok: PreTrainedTokenizer;
  beforeAll(async () => {
    tok = await AutoTokenizer.from_pretrained(name);
  });

  it('has BOS 256, EOS 257 and pad = EOS', () => {
    expect([tok.bos_token_id, tok.eos_token_id, tok.pad_token_id]).toEqual([BOS_ID, EOS_ID, PAD_ID]);
    const config = JSON.parse(readFileSync(join(dir, name, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.logitscope).toEqual({ builtin: true, label: 'test model, random weights', tokenizerVocabSize: TOKENIZER_VOCAB_SIZE });
  });

  it.each(SAMPLES)('encodes %j as BOS + UTF-8 bytes and decodes it back', (text) => {
    const ids = tok.encode(text);
    expect(ids).toEqual([BOS_ID, ...new TextEncoder().encode(text)]);
    expect(tok.decode(ids, { skip_special_tokens: true })).toBe(text);
    expect(tok.decode(ids)).toBe(`<s>${text}`);
  });

  it('maps every byte to its own id and decodes EOS as </s>', () => {
    const ids = Array.from({ length: 256 }, (_, b) => b);
    expect(tok.decode(ids)).toBe(new TextDecoder().decode(Uint8Array.from(ids)));
    expect(tok.decode([EOS_ID])).toBe('</s>');
    expect(tok.decode([0xe6])).toBe('\uFFFD');
  });
});
