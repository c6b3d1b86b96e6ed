// The llama2.c importer against a TypeScript port of run.c (scripts/llama2c/run-c.ts): logits of the
// converted ONNX through onnxruntime-node, greedy text, tokenizer ids, per-layer outputs, and the
// shape cases (GQA, shared/separate classifier) on synthetic checkpoints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunC, RunCTokenizer, runCGreedy } from '../../scripts/llama2c/run-c';
import { LLAMA2C_DIR } from '../../scripts/testmodels/trained';
import { convertLlama2c } from '../../workers/llama2c/convert';
import { TextTokenizer } from '../../workers/model/tokenizer';
import { maxDiff, open, step } from './ort-run';
import { syntheticCheckpoint, syntheticTokenizer, type SyntheticShape } from './synthetic';

const data = (name: string): Uint8Array => readFileSync(`${LLAMA2C_DIR}${name}`);
const TOK = data('tok512.bin');
const fileOf = (conv: ReturnType<typeof convertLlama2c>, path: string): Uint8Array => conv.files.find((f) => f.path === path)!.bytes;
const jsonOf = (conv: ReturnType<typeof convertLlama2c>, path: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(fileOf(conv, path))) as Record<string, unknown>;

/** Logits of run.c and of the ONNX (one prefill of `prefill` ids, then one id per cached step). */
async function compare(checkpoint: Uint8Array, tokenizer: Uint8Array, ids: number[], prefill: number): Promise<number> {
  const conv = convertLlama2c(checkpoint, tokenizer);
  const s = await open(fileOf(conv, 'onnx/model.onnx'));
  const ref = new RunC(checkpoint);
  const want = ids.map((id, pos) => ref.forward(id, pos));
  let r = await step(s, conv.header, ids.slice(0, prefill), null);
  const got = [...r.rows];
  for (let i = prefill; i < ids.length; i++) {
    r = await step(s, conv.header, [ids[i]!], r.past);
    got.push(r.rows[0]!);
  }
  return Math.max(...want.map((w, i) => maxDiff(w, got[i]!)));
}

describe('llama2.c import: the built-in checkpoints', () => {
  const ids = [1, 403, 407, 261, 378, 30, 200, 100, 7, 511, 42, 300, 13, 259, 260, 2, 77, 400, 401, 5];
  for (const name of ['stories260K.bin', 'stories-draft.bin']) {
    it(`${name}: ONNX logits equal run.c's forward (prefill and KV-cached steps, |Δ| ≤ 1e-4)`, async () => {
      const d = await compare(data(name), TOK, ids, 8);
      expect(d).toBeLessThanOrEqual(1e-4);
    });
  }

  it('stories260K greedy from "Once upon a time" is run.c -t 0 output, token for token', async () => {
    const model = data('stories260K.bin');
    const conv = convertLlama2c(model, TOK);
    const s = await open(fileOf(conv, 'onnx/model.onnx'));
    const tok = new RunCTokenizer(TOK, 512);
    const prompt = tok.encode('Once upon a time');
    expect(prompt).toEqual([1, 403, 407, 261, 378]);
    const want = runCGreedy(new RunC(model), prompt, 40).map((st) => st.id);
    let r = await step(s, conv.header, prompt, null);
    const got: number[] = [];
    for (let i = 0; i < 40; i++) {
      const row = r.rows[r.rows.length - 1]!;
      const id = row.indexOf(Math.max(...row));
      got.push(id);
      r = await step(s, conv.header, [id], r.past);
    }
    expect(got).toEqual(want);
    let prev = prompt[prompt.length - 1]!;
    const text = got.map((id) => {
      const piece = new TextDecoder().decode(tok.decode(prev, id));
      prev = id;
      return piece;
    });
    expect(text.join('')).toMatch(/^, there was a little girl named Lily\. She loved to play outside in the park\. One day, she saw a big, red ball\./);
  });

  it('per-layer outputs: hidden_states.0 is the embedding, RMSNorm(hidden_states.L) is last_hidden_state', async () => {
    const model = data('stories260K.bin');
    const conv = convertLlama2c(model, TOK);
    const s = await open(fileOf(conv, 'onnx/model.onnx'));
    const { out } = await step(s, conv.header, [1, 403, 407], null);
    const h = conv.header;
    const emb = out['hidden_states.0']!.data as Float32Array;
    const table = new RunC(model).w.tokenEmbedding;
    expect(maxDiff(emb.subarray(h.dim, 2 * h.dim), table.subarray(403 * h.dim, 404 * h.dim))).toBe(0);
    const last = out[`hidden_states.${h.nLayers}`]!.data as Float32Array;
    const norm = new RunC(model).w.rmsFinal;
    const x = Array.from(last.subarray(2 * h.dim, 3 * h.dim));
    const scale = 1 / Math.sqrt(x.reduce((a, v) => a + v * v, 0) / h.dim + 1e-5);
    const want = x.map((v, i) => v * scale * norm[i]!);
    expect(maxDiff(want, (out.last_hidden_state!.data as Float32Array).subarray(2 * h.dim, 3 * h.dim))).toBeLessThan(1e-5);
    expect(jsonOf(conv, 'config.json').logitscope).toMatchObject({ source: 'llama2.c', layerOutputs: h.nLayers + 1 });
  });

  it('layer_logits: row l is the logit lens of hidden_states.l at the last position; row L equals the logits', async () => {
    const model = data('stories260K.bin');
    const conv = convertLlama2c(model, TOK);
    const s = await open(fileOf(conv, 'onnx/model.onnx'));
    const h = conv.header;
    const w = new RunC(model).w;
    for (const ids of [[1, 403, 407], [261]]) {
      const { out, rows } = await step(s, h, ids, null);
      const lens = out.layer_logits!;
      expect(lens.dims).toEqual([1, h.nLayers + 1, h.vocabSize]);
      const data = lens.data as Float32Array;
      const at = ids.length - 1;
      for (let l = 0; l <= h.nLayers; l++) {
        const x = Array.from((out[`hidden_states.${l}`]!.data as Float32Array).subarray(at * h.dim, (at + 1) * h.dim));
        const scale = 1 / Math.sqrt(x.reduce((a, v) => a + v * v, 0) / h.dim + 1e-5);
        const normed = x.map((v, i) => v * scale * w.rmsFinal[i]!);
        // Tied classifier: logit of token v = embedding row v · normed state.
        const want = Array.from({ length: h.vocabSize }, (_, v) => normed.reduce((a, xi, i) => a + xi * w.tokenEmbedding[v * h.dim + i]!, 0));
        expect(maxDiff(want, data.subarray(l * h.vocabSize, (l + 1) * h.vocabSize))).toBeLessThan(1e-4);
      }
      expect(maxDiff(rows[rows.length - 1]!, data.subarray(h.nLayers * h.vocabSize))).toBeLessThan(1e-5);
      // Layers differ: the lens of the embedding is not the model's output.
      expect(maxDiff(data.subarray(0, h.vocabSize), data.subarray(h.nLayers * h.vocabSize))).toBeGreaterThan(0.1);
    }
  });
});

describe('llama2.c import: tokenizer', () => {
  const texts = [
    'Once upon a time',
    'Hello world',
    '  two  leading spaces',
    'trailing space ',
    ' leading',
    'new\nline',
    '\n\nparagraphs\n\n',
    'Tab\there',
    'a',
    'I',
    '',
    'The cat sat on the mat.',
    "Lily's dog, Max, barked! \"Stop!\" she said.",
    'x'.repeat(40),
    '1234567890 + 42 = 1234567932',
    'ünïcödé façade naïve',
    'émoji 😀 and 🐶🐱',
    '日本語のテキスト',
    'Ελληνικά кириллица',
    'mixed\r\nline endings',
    'semi;colon: colon, comma. period? question! exclaim',
    '(parens) [brackets] {braces}',
    'She said, "Let\'s play in the park."',
    'The little boy was very happy. He ran to his mom and gave her a big hug.',
    'ALL CAPS SHOUTING',
    'camelCaseWordsAndNumbers123',
    'a-b_c/d\\e|f',
    '\u00a0no-break space',
    '🙂',
    'Tim and Sue went to the big red barn to see the cow.',
    '   ',
    'zzz qqq jjj',
  ];

  it(`transformers.js with the converted tokenizer.json gives run.c's encode() ids on ${texts.length} texts`, () => {
    const conv = convertLlama2c(data('stories-draft.bin'), TOK);
    const tok = TextTokenizer.create(jsonOf(conv, 'tokenizer.json'), jsonOf(conv, 'tokenizer_config.json'), [2, 1], 'tokenizer.json');
    const ref = new RunCTokenizer(TOK, 512);
    expect(tok.size).toBe(512);
    for (const t of texts) expect({ t, ids: tok.encode(t, false) }).toEqual({ t, ids: ref.encode(t) });
  });

  it('decodes byte-fallback tokens back to the text', () => {
    const conv = convertLlama2c(data('stories-draft.bin'), TOK);
    const tok = TextTokenizer.create(jsonOf(conv, 'tokenizer.json'), jsonOf(conv, 'tokenizer_config.json'), [2, 1], 'tokenizer.json');
    const text = 'émoji 😀 and 日本語';
    const ids = tok.encode(text, false);
    expect(ids.some((id) => id >= 3 && id < 259)).toBe(true);
    expect(tok.decode(ids.slice(1))).toBe(text);
  });
});

describe('llama2.c import: shapes', () => {
  const base: SyntheticShape = { dim: 32, hiddenDim: 48, nLayers: 2, nHeads: 4, nKvHeads: 2, vocabSize: 300, seqLen: 64, sharedClassifier: true };
  // Scores are not monotone in the id ('bd' outranks the earlier 'ab'), so a ranking by id would fail.
  const tok = syntheticTokenizer([
    ['a', -1], ['b', -1], ['c', -1], ['d', -1], [' ', -1], ['ab', -9], ['bc', -4], ['abc', -6], ['bd', -3], [' a', -8], [' ab', -7], ['ca', -5], ['cab', -2],
    ...Array.from({ length: 28 }, (_, i) => `w${i}`),
  ]);
  const cases: [string, SyntheticShape][] = [
    ['GQA, shared classifier', base],
    ['GQA, separate classifier (negative vocab_size)', { ...base, sharedClassifier: false }],
    ['multi-head (n_kv_heads = n_heads), separate classifier', { ...base, nKvHeads: 4, sharedClassifier: false }],
    ['multi-query (one kv head), odd layer count', { ...base, nKvHeads: 1, nLayers: 3 }],
  ];
  const ids = [1, 260, 270, 280, 3, 299, 5, 1, 42, 100, 2, 261];
  for (const [label, shape] of cases) {
    it(`${label}: ONNX logits equal run.c's forward`, async () => {
      const ckpt = syntheticCheckpoint(shape, 7);
      expect(await compare(ckpt, tok, ids, 5)).toBeLessThanOrEqual(1e-4);
      const conv = convertLlama2c(ckpt, tok);
      expect(jsonOf(conv, 'config.json')).toMatchObject({ tie_word_embeddings: shape.sharedClassifier, num_key_value_heads: shape.nKvHeads, vocab_size: 300 });
    });
  }

  it('merges in score order (not id order), leftmost first, as run.c does', () => {
    const conv = convertLlama2c(syntheticCheckpoint(base, 1), tok);
    const t = TextTokenizer.create(jsonOf(conv, 'tokenizer.json'), jsonOf(conv, 'tokenizer_config.json'), [2], 'tokenizer.json');
    const ref = new RunCTokenizer(tok, 300);
    for (const text of ['abc', 'abd', 'ab c', 'cabc', 'a b c abc', 'bcab', 'cabd', 'w1w2 w3', 'é']) expect({ text, ids: t.encode(text, false) }).toEqual({ text, ids: ref.encode(text) });
  });
});

describe('llama2.c import: bad input', () => {
  const good = data('stories-draft.bin');
  const errors: [string, Uint8Array, Uint8Array, RegExp][] = [
    ['a truncated checkpoint', good.slice(0, good.length - 4), TOK, /describes 174748 bytes, the file has 174744/],
    ['a file too short for a header', good.slice(0, 10), TOK, /28-byte header, got 10 bytes/],
    ['a tokenizer in place of the checkpoint', TOK, TOK, /header field hiddenDim must be in/],
    ['a version-1 export', Uint8Array.from([0x32, 0x34, 0x6b, 0x61, ...good.slice(4, 64)]), TOK, /version 1\/2 export/],
    ['a truncated tokenizer', good, TOK.slice(0, 3000), /tokenizer\.bin: the file ends after \d+ of 512 tokens/],
    ['a tokenizer for a bigger vocabulary', good, Uint8Array.from([...TOK, 0, 0, 0, 0, 1, 0, 0, 0, 0x61]), /9 bytes follow the 512 tokens/],
  ];
  for (const [label, model, tokenizer, message] of errors) {
    it(`refuses ${label} with model-invalid naming the problem`, () => {
      expect(() => convertLlama2c(model, tokenizer, { tokenizerWhere: 'tokenizer.bin' })).toThrow(message);
      expect(() => convertLlama2c(model, tokenizer)).toThrow(/^\[model-invalid\]/);
    });
  }

  it('refuses a header whose n_heads does not divide dim', () => {
    const bad = good.slice();
    new DataView(bad.buffer).setInt32(12, 5, true);
    expect(() => convertLlama2c(bad, TOK)).toThrow(/dim 32 is not a multiple of n_heads 5/);
  });
});
