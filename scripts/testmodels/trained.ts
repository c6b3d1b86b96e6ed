// The built-in TRAINED models: llama2.c checkpoints committed in data/llama2c/ (see its README),
// converted at build time by the project's own importer (workers/llama2c/convert.ts), the same code
// that converts checkpoints a user opens in the page.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertLlama2c } from '../../workers/llama2c/convert';
import type { BuiltinIndexEntry, OutFile } from './hub-files';

/** data/llama2c/ of this checkout. */
export const LLAMA2C_DIR = fileURLToPath(new URL('../../data/llama2c/', import.meta.url));

/** One trained built-in: folder name, checkpoint and tokenizer file, picker text, pair. */
interface TrainedSpec {
  name: string;
  checkpoint: string;
  tokenizer: string;
  label: string;
  description: string;
  pairedWith: string;
}

/** The trained built-ins, target first; `builtin:stories260k` is the app's default model. */
export const TRAINED: readonly TrainedSpec[] = [
  {
    name: 'stories260k',
    checkpoint: 'stories260K.bin',
    tokenizer: 'tok512.bin',
    label: 'stories260K — TinyStories, 260K params (trained)',
    description: "Karpathy's llama2.c stories260K: 5 layers, dim 64, vocab 512, trained on TinyStories. Writes short children's stories.",
    pairedWith: 'stories-draft',
  },
  {
    name: 'stories-draft',
    checkpoint: 'stories-draft.bin',
    tokenizer: 'tok512.bin',
    label: 'stories-draft — 2-layer draft for stories260K (trained)',
    description: 'A 2-layer, dim-32 model distilled from stories260K with the same tokenizer: the draft / amateur of the pair.',
    pairedWith: 'stories260k',
  },
];

/** Every file of the trained built-in folders, paths prefixed with `<name>/`. */
export function trainedFiles(): OutFile[] {
  return TRAINED.flatMap((t) => {
    const conv = convertLlama2c(readFileSync(`${LLAMA2C_DIR}${t.checkpoint}`), readFileSync(`${LLAMA2C_DIR}${t.tokenizer}`), {
      name: t.name,
      label: t.label,
      modelWhere: `data/llama2c/${t.checkpoint}`,
      tokenizerWhere: `data/llama2c/${t.tokenizer}`,
    });
    return conv.files.map((f) => ({ path: `${t.name}/${f.path}`, bytes: f.bytes }));
  });
}

/** index.json entries of the trained built-ins. */
export function trainedIndex(): BuiltinIndexEntry[] {
  return TRAINED.map((t) => ({ id: `builtin:${t.name}`, label: t.label, description: t.description, pairedWith: `builtin:${t.pairedWith}` }));
}
