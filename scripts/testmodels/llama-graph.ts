// The built-in test models' graph: the project's Llama graph (workers/onnx/llama-graph.ts) with
// the shape of a test-model spec.
import { buildLlamaOnnx as buildGraph } from '../../workers/onnx/llama-graph';
import type { ModelSpec } from './specs';
import type { ModelWeights } from './weights';

/** Serialised ONNX bytes of the fp32 decoder for `spec` with weights `w`. */
export function buildLlamaOnnx(spec: ModelSpec, w: ModelWeights): Uint8Array {
  return buildGraph({ ...spec, numLayers: spec.layerSources.length }, w);
}
