/**
 * Which of two picked or dropped files is the llama2.c checkpoint and which its tokenizer.bin, and
 * the `local:` name the converted model gets. Pure: the worker checks the contents.
 */
import { localNameOf } from './local-folder';

/** The parts of a File the classification needs (a File satisfies it). */
export interface NamedFile {
  name: string;
  size: number;
}

/** The checkpoint and the tokenizer, or why the picked files are not such a pair. */
export type Llama2cPick<F extends NamedFile> = { ok: true; model: F; tokenizer: F } | { ok: false; reason: string };

/** Names llama2.c and its users give tokenizers: `tokenizer.bin`, `tok512.bin`, `tokenizer_32k.bin`. */
const TOKENIZER_NAME = /^tok(enizer)?[^/\\]*\.bin$/i;

/** True when the file name says it is a tokenizer (`tokenizer*.bin` or `tok*.bin`). */
export function looksLikeTokenizer(name: string): boolean {
  return TOKENIZER_NAME.test(name);
}

/**
 * Tells the checkpoint from the tokenizer among exactly two files: the one named like a tokenizer,
 * else (neither or both are) the smaller one, since a tokenizer is far smaller than any checkpoint.
 */
export function classifyLlama2cFiles<F extends NamedFile>(files: readonly F[]): Llama2cPick<F> {
  if (files.length !== 2) {
    const got = files.length === 0 ? 'no file' : files.length === 1 ? `only ${files[0]!.name}` : `${files.length} files`;
    return {
      ok: false,
      reason: `Pick two files together, the llama2.c checkpoint (e.g. stories15M.bin) and its tokenizer (tokenizer.bin); got ${got}.`,
    };
  }
  const [a, b] = files as readonly [F, F];
  const aTok = looksLikeTokenizer(a.name);
  const bTok = looksLikeTokenizer(b.name);
  if (aTok !== bTok) return aTok ? { ok: true, model: b, tokenizer: a } : { ok: true, model: a, tokenizer: b };
  if (a.size === b.size) {
    return { ok: false, reason: `Cannot tell which of ${a.name} and ${b.name} is the tokenizer (same size): name the tokenizer tokenizer.bin.` };
  }
  return a.size < b.size ? { ok: true, model: b, tokenizer: a } : { ok: true, model: a, tokenizer: b };
}

/** The `local:` name of a converted checkpoint: its file name without `.bin`, made safe (`stories15M.bin` → `stories15M`). */
export function llama2cLocalName(checkpointFileName: string): string {
  const base = checkpointFileName.replace(/^.*[/\\]/, '').replace(/\.bin$/i, '');
  const name = localNameOf(base);
  // localNameOf falls back to `folder` for a name with no usable character; say what it is instead.
  return name === 'folder' && base !== 'folder' ? 'llama2c' : name;
}
