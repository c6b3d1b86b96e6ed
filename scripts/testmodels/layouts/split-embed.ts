// tiny-llama as a split-embedding export, the way Gemma 3 exports are laid out for transformers.js:
// onnx/embed_tokens_q4.onnx (input_ids → inputs_embeds through GatherBlockQuantized over a 4-bit
// table) and onnx/decoder_model_merged_q4.onnx (inputs_embeds in; the decoder weights stay float32
// here: the layout, not the decoder's quantization, is what is tested).
import { DType, GraphBuilder } from '../../../workers/onnx/graph-builder';
import { buildLlamaOnnx } from '../../../workers/onnx/llama-graph';
import type { ModelSpec } from '../specs';
import type { ModelWeights } from '../weights';
import { BLOCK, quantizeInt4 } from './quant';

/** Both graphs and the weights a reference forward must use (the dequantized embedding). */
export function buildSplitEmbedOnnx(spec: ModelSpec, w: ModelWeights): { embed: Uint8Array; decoder: Uint8Array; reference: ModelWeights } {
  const h = spec.hiddenSize;
  // Quantize along the hidden axis: the table's transpose [h, vocab] is what quantizeInt4 blocks by
  // rows, so quantize embed^T and read it back per token row.
  const t = new Float32Array(h * spec.vocabSize);
  for (let v = 0; v < spec.vocabSize; v++) for (let i = 0; i < h; i++) t[i * spec.vocabSize + v] = w.embed[v * h + i]!;
  const q = quantizeInt4(t, h, spec.vocabSize);
  const dequantized = new Float32Array(spec.vocabSize * h);
  for (let v = 0; v < spec.vocabSize; v++) for (let i = 0; i < h; i++) dequantized[v * h + i] = q.dequantized[i * spec.vocabSize + v]!;
  const b = new GraphBuilder();
  b.input('input_ids', DType.INT64, ['batch_size', 'sequence_length']);
  b.output('inputs_embeds', DType.FLOAT, ['batch_size', 'sequence_length', h]);
  // q.packed is [vocab, h/32, 16]: row v's blocks in hidden order, two values per byte, low nibble
  // first — GatherBlockQuantized's uint8 layout [vocab, h/2] with scales [vocab, h/32].
  const data = b.rawInit('embed_tokens.qweight', [spec.vocabSize, h / 2], DType.UINT8, q.packed);
  const scales = b.floatInit('embed_tokens.scales', [spec.vocabSize, h / BLOCK], q.scales);
  b.node('GatherBlockQuantized', [data, 'input_ids', scales], { gather_axis: 0, quantize_axis: 1, block_size: BLOCK, bits: 4 }, 'inputs_embeds', 'com.microsoft');
  const embed = b.encode(`${spec.name}-embed`, 'logitscope-gen-models (split-embedding layout)', [{ domain: 'com.microsoft', version: 1 }]);
  const decoder = buildLlamaOnnx({ ...spec, name: `${spec.name}-decoder`, numLayers: spec.layerSources.length, inputsEmbeds: true }, w, 'logitscope-gen-models (split-embedding layout)');
  return { embed, decoder, reference: { ...w, embed: dequantized } };
}
