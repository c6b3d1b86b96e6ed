// Which ONNX files one dtype of a model folder loads. Most exports are one decoder graph,
// `onnx/model{suffix}.onnx`; split-embedding exports (Gemma 3 in transformers.js' layout) put the
// token embedding in `onnx/embed_tokens{suffix}.onnx` (input_ids → inputs_embeds) and the rest in
// `onnx/decoder_model_merged{suffix}.onnx`, which takes inputs_embeds. See docs/models.md.
import type { Dtype } from '../../protocol';
import { DTYPE_SUFFIX, onnxFileFor } from './source';

/** The graph files of one dtype: the decoder, and the embedding graph of a split export (else null). */
export interface OnnxLayout {
  decoder: string;
  embed: string | null;
}

/** The files of the split-embedding layout for `dtype`. */
export function splitFilesFor(dtype: Dtype): { decoder: string; embed: string } {
  const s = DTYPE_SUFFIX[dtype];
  return { decoder: `onnx/decoder_model_merged${s}.onnx`, embed: `onnx/embed_tokens${s}.onnx` };
}

/** Whether a folder offers `dtype` in either layout (one probe per candidate file). */
export async function dtypePresent(dtype: Dtype, probe: (file: string) => Promise<boolean>): Promise<boolean> {
  return (await probe(onnxFileFor(dtype))) || (await probe(splitFilesFor(dtype).decoder));
}

/**
 * The layout of `dtype` from a folder's file list (local folders): the single graph when listed,
 * else the split pair when its decoder is listed. Without a list the single graph is assumed (no
 * request spent on it); the loader falls back to the split pair when that file turns out missing.
 */
export function onnxLayout(dtype: Dtype, listing: readonly string[] | null): OnnxLayout {
  const single = onnxFileFor(dtype);
  const split = splitFilesFor(dtype);
  if (listing && !listing.includes(single) && listing.includes(split.decoder)) return split;
  return { decoder: single, embed: null };
}
