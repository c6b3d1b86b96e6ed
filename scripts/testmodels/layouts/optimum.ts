// tiny-llama written the way Optimum / onnx-community exports are: position_ids, a
// `num_logits_to_keep` input, no last_hidden_state, weights in external data split over several
// `model.onnx_data*` files, and a `transformers.js_config` saying so (with a kv_cache_dtype).
import { buildLlamaGraph } from '../../../workers/onnx/llama-graph';
import { encodeModel, type ModelDef } from '../../../workers/onnx/onnx-model';
import type { ModelSpec } from '../specs';
import type { ModelWeights } from '../weights';

/** Initializers at least this large (bytes) move to external data. */
const MIN_EXTERNAL_BYTES = 1024;

/** Moves large initializers of `def` into `chunks` data files named `<base>`, `<base>_1`, …; returns them in order. */
export function externalize(def: ModelDef, base: string, chunks: number): Uint8Array[] {
  const big = def.graph.initializers.filter((t) => t.raw && t.raw.length >= MIN_EXTERNAL_BYTES);
  const total = big.reduce((a, t) => a + t.raw!.length, 0);
  const files: Uint8Array[][] = Array.from({ length: chunks }, () => []);
  const offsets = new Array<number>(chunks).fill(0);
  let seen = 0;
  for (const t of big) {
    const i = Math.min(chunks - 1, Math.floor((seen / total) * chunks));
    const raw = t.raw!;
    t.external = { location: i === 0 ? base : `${base}_${i}`, offset: offsets[i]!, length: raw.length };
    t.raw = null;
    files[i]!.push(raw);
    offsets[i]! += raw.length;
    seen += raw.length;
  }
  return files.map((parts) => {
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  });
}

/** The graph (onnx/model.onnx) and its data files (onnx/model.onnx_data, …_data_1, …). */
export function buildOptimumOnnx(spec: ModelSpec, w: ModelWeights, chunks: number): { graph: Uint8Array; data: Uint8Array[] } {
  const b = buildLlamaGraph({ ...spec, numLayers: spec.layerSources.length, hiddenOutput: false, logitsToKeepInput: 'num_logits_to_keep' }, w);
  const def = b.toModelDef(`${spec.name}-optimum`, 'logitscope-gen-models (optimum layout)');
  const data = externalize(def, 'model.onnx_data', chunks);
  return { graph: encodeModel(def), data };
}
