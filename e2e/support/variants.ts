// Variants of the built-in tiny-llama for the capability and config-sanity specs, served by
// e2e/support/static-server.ts under /variants/<name>/tiny-llama/: an fp16 graph saved under the
// fp32 name, and configs with bad vocab_size / tokenizer_class.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toFp16Model } from './fp16-model';

type Variant = (rel: string, base: Buffer) => Buffer;

const patchJson =
  (file: string, patch: Record<string, unknown>): Variant =>
  (rel, base) =>
    rel === file ? Buffer.from(JSON.stringify({ ...(JSON.parse(base.toString('utf8')) as Record<string, unknown>), ...patch })) : base;

let fp16Bytes: Buffer | null = null;

/** The variants served, by name: how each changes a file of tiny-llama (`rel` is relative to its folder). */
export const VARIANTS: Readonly<Record<string, Variant>> = {
  // Real fp16 exports saved as onnx/model.onnx with a config claiming fp32 (seen in the wild).
  'fp16-as-fp32': (rel, base) => {
    if (rel === 'config.json') return patchJson(rel, { torch_dtype: 'float16', 'transformers.js_config': { dtype: 'fp32' } })(rel, base);
    if (rel !== 'onnx/model.onnx') return base;
    fp16Bytes ??= toFp16Model(base);
    return fp16Bytes;
  },
  'vocab-0': patchJson('config.json', { vocab_size: 0 }),
  'vocab-minus-5': patchJson('config.json', { vocab_size: -5 }),
  'vocab-1e9': patchJson('config.json', { vocab_size: 1e9 }),
  'vocab-300': patchJson('config.json', { vocab_size: 300 }),
  'tokenizer-class-model': patchJson('tokenizer_config.json', { tokenizer_class: 'AutoModelForCausalLM' }),
};

/** Same-origin folder spec of a variant, for `model`. */
export const variantSpec = (name: string): string => `/variants/${name}/tiny-llama/`;

/** The bytes of `rel` in variant `name` of the built-in tiny-llama under `root`, or null for a 404. */
export function variantFile(root: string, name: string, rel: string): Buffer | null {
  const make = Object.hasOwn(VARIANTS, name) ? VARIANTS[name] : undefined;
  const file = join(root, 'models', 'builtin', 'tiny-llama', rel);
  if (!make || rel.includes('..') || !existsSync(file) || !statSync(file).isFile()) return null;
  return make(rel, readFileSync(file));
}
