// Reads llama2.c's tokenizer.bin (what run.c's build_tokenizer reads): int32 max_token_length, then
// per token a float32 merge score, an int32 byte length and the UTF-8 bytes. The token count is not
// in the file: it is the checkpoint's vocab_size.
import { LogitscopeError } from '../errors';

/** A llama2.c vocabulary: piece strings (spaces as ' ', bytes as `<0xXX>`) and merge scores. */
export interface Llama2cVocab {
  maxTokenLength: number;
  pieces: string[];
  scores: Float32Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses `vocabSize` tokens; the file must hold exactly those. `where` names the file in errors. */
export function readLlama2cTokenizer(bytes: Uint8Array, vocabSize: number, where: string): Llama2cVocab {
  const bad = (msg: string): never => {
    throw new LogitscopeError('model-invalid', `${where}: ${msg}; is this llama2.c's tokenizer.bin for this checkpoint (vocab ${vocabSize})?`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4) bad(`${bytes.byteLength} bytes is too short`);
  const maxTokenLength = view.getInt32(0, true);
  if (maxTokenLength < 1 || maxTokenLength > 1024) bad(`max_token_length must be in [1, 1024], got ${maxTokenLength}`);
  const pieces: string[] = [];
  const scores = new Float32Array(vocabSize);
  let at = 4;
  for (let i = 0; i < vocabSize; i++) {
    if (at + 8 > bytes.byteLength) bad(`the file ends after ${i} of ${vocabSize} tokens`);
    scores[i] = view.getFloat32(at, true);
    const len = view.getInt32(at + 4, true);
    at += 8;
    if (len < 0 || len > maxTokenLength || at + len > bytes.byteLength) bad(`token ${i} has length ${len} (max_token_length ${maxTokenLength})`);
    try {
      pieces.push(utf8.decode(bytes.subarray(at, at + len)));
    } catch {
      bad(`token ${i} is not valid UTF-8`);
    }
    at += len;
  }
  if (at !== bytes.byteLength) bad(`${bytes.byteLength - at} bytes follow the ${vocabSize} tokens`);
  return { maxTokenLength, pieces, scores };
}
