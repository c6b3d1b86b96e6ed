// `npm run import:llama2c -- <model.bin> <tokenizer.bin> <out-folder> [--label "…"]`: converts a
// llama2.c checkpoint (legacy v0, what run.c reads) and its tokenizer.bin into a transformers.js
// model folder that the playground opens as a model folder URL or a local folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { convertLlama2c } from '../workers/llama2c/convert';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run import:llama2c -- <model.bin> <tokenizer.bin> <out-folder> [--label "text"]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const labelAt = args.indexOf('--label');
const label = labelAt >= 0 ? args.splice(labelAt, 2)[1] : undefined;
if (labelAt >= 0 && label === undefined) usage('--label needs a value');
const [model, tokenizer, out] = args;
if (!model || !tokenizer || !out || args.length !== 3) usage(`expected 3 arguments, got ${args.length}`);

const t0 = performance.now();
try {
  const conv = convertLlama2c(readFileSync(model), readFileSync(tokenizer), {
    name: basename(model).replace(/\.bin$/, ''),
    label: label ?? `${basename(model)} (llama2.c import)`,
    modelWhere: model,
    tokenizerWhere: tokenizer,
  });
  for (const f of conv.files) {
    const path = join(out, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
  }
  const h = conv.header;
  const bytes = conv.files.reduce((a, f) => a + f.bytes.length, 0);
  console.log(
    `${out}: ${conv.files.length} files, ${bytes} bytes in ${Math.round(performance.now() - t0)} ms ` +
      `(dim ${h.dim}, ${h.nLayers} layers, ${h.nHeads} heads / ${h.nKvHeads} kv heads, vocab ${h.vocabSize}, seq_len ${h.seqLen}, ${h.sharedClassifier ? 'shared' : 'separate'} classifier)`,
  );
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
