/**
 * The worker side of "Open a llama2.c checkpoint…": checks the two picked files at the boundary,
 * converts them (workers/llama2c/convert.ts) and registers the resulting model folder as a local
 * folder, so that `local:<name>` loads like any other model. Runs in the decode worker, never on
 * the UI thread.
 */
import { LogitscopeError, toLogitscopeError } from '../errors';
import type { LocalFolders } from '../model/local-folders';
import { LOCAL_NAME } from '../model/source';
import type { Llama2cImportInfo } from '../../protocol';
import { readLlama2cHeader } from './checkpoint';
import { convertLlama2c, type Llama2cConversion } from './convert';

/**
 * Largest checkpoint accepted, in bytes: 512 MiB, room for stories110M (438 MB). The conversion
 * holds the file, the transposed weights and the ONNX file it writes in memory at once (about three
 * times the checkpoint), and the ONNX file, written without external data, stays far below
 * protobuf's 2 GiB.
 */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 ** 2;

/**
 * Largest checkpoint that also gets superposed decoding's variant graph (a second ONNX file of the same
 * size, held in the page): 128 MiB, room for stories42M; larger imports refuse superposed decoding.
 */
export const MAX_SUPERPOSED_CHECKPOINT_BYTES = 128 * 1024 ** 2;

/** Largest tokenizer.bin accepted, in bytes (64 MiB; the 32,000-token one is 424 KB). */
export const MAX_TOKENIZER_BYTES = 64 * 1024 ** 2;

/** A llama2.c checkpoint starts with seven little-endian int32: dim, hidden, layers, heads, kv heads, vocab, seq len. */
export const CHECKPOINT_HEADER_BYTES = 28;

function bad(message: string): never {
  throw new LogitscopeError('bad-request', message);
}

/** The file's name for messages: the File's own name, else what it is. */
export function fileLabel(blob: Blob, role: 'checkpoint' | 'tokenizer'): string {
  return typeof File !== 'undefined' && blob instanceof File && blob.name !== '' ? blob.name : `the ${role} file`;
}

/** MiB with one decimal, so a file just over a limit does not read as equal to it. */
function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** Checks what can be checked without reading the files: the name, both Blobs present, sizes within the limits. */
export function checkImportInputs(name: unknown, model: unknown, tokenizer: unknown): void {
  if (typeof name !== 'string' || !LOCAL_NAME.test(name)) bad(`local model names use letters, digits, . _ - (at most 64), got ${JSON.stringify(name)}`);
  if (!(model instanceof Blob)) bad('no llama2.c checkpoint given: pick the model .bin file (e.g. stories15M.bin) together with its tokenizer.bin');
  if (!(tokenizer instanceof Blob)) bad('no tokenizer given: pick the tokenizer.bin that came with the checkpoint together with it');
  const m = fileLabel(model, 'checkpoint');
  const t = fileLabel(tokenizer, 'tokenizer');
  if (model.size > MAX_CHECKPOINT_BYTES) bad(`${m} is ${mib(model.size)}, more than the ${MAX_CHECKPOINT_BYTES / 1024 ** 2} MiB limit for converting a checkpoint in the page`);
  if (tokenizer.size > MAX_TOKENIZER_BYTES) bad(`${t} is ${mib(tokenizer.size)}, more than the ${MAX_TOKENIZER_BYTES / 1024 ** 2} MiB a tokenizer.bin may have: is it the tokenizer?`);
  if (model.size < CHECKPOINT_HEADER_BYTES) {
    throw new LogitscopeError('model-invalid', `${m} is not a llama2.c checkpoint: it has ${model.size} bytes, fewer than the ${CHECKPOINT_HEADER_BYTES}-byte header`);
  }
  // max_token_length, then at least one (score, length) pair.
  if (tokenizer.size < 12) throw new LogitscopeError('model-invalid', `${t} is not a llama2.c tokenizer.bin: it has only ${tokenizer.size} bytes`);
}

async function bytesOf(blob: Blob, label: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (err) {
    // A File whose disk copy changed or vanished since it was picked fails here.
    throw new LogitscopeError('bad-request', `Could not read ${label}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Converts the checkpoint and tokenizer and registers the model folder as `local:<name>` in `folders`. */
export async function importLlama2c(folders: LocalFolders, name: string, model: Blob, tokenizer: Blob): Promise<Llama2cImportInfo> {
  checkImportInputs(name, model, tokenizer);
  const m = fileLabel(model, 'checkpoint');
  const t = fileLabel(tokenizer, 'tokenizer');
  // The header alone tells a wrong file apart before a possibly large file is read whole.
  readLlama2cHeader(await bytesOf(model.slice(0, CHECKPOINT_HEADER_BYTES), m), m);
  const modelBytes = await bytesOf(model, m);
  const tokenizerBytes = await bytesOf(tokenizer, t);
  let converted: Llama2cConversion;
  try {
    converted = convertLlama2c(modelBytes, tokenizerBytes, { label: `${m} (llama2.c)`, modelWhere: m, tokenizerWhere: t, superposedGraph: modelBytes.byteLength <= MAX_SUPERPOSED_CHECKPOINT_BYTES });
  } catch (err) {
    throw toLogitscopeError(err);
  }
  // Blobs copy the bytes; the converter's arrays are garbage once this returns.
  const files = converted.files.map((f) => ({ path: f.path, file: new Blob([f.bytes]) }));
  const info = folders.register(name, files);
  return { ...info, header: { ...converted.header } };
}
