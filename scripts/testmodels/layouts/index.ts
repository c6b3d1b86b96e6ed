// Model folders laid out the way real exporters write them, all carrying the built-in tiny-llama's
// weights (quantized where the exporter quantizes): the loader and decode loop must handle each,
// and greedy must equal the reference forward run with the weights the folder really holds.
// Served to the browser tests by e2e/support/static-server.ts under /layouts/<name>/.
import { modelFiles, type OutFile } from '../hub-files';
import { loadSpec } from '../specs';
import { modelWeights, type ModelWeights } from '../weights';
import { buildGenaiOnnx } from './genai';
import { buildOptimumOnnx } from './optimum';
import { buildSplitEmbedOnnx } from './split-embed';

/** The exporter layouts, by folder name. */
export const LAYOUTS = ['genai-int4', 'genai-int4-nopos', 'genai-int4f16', 'optimum-external', 'split-embed'] as const;
/** One exporter layout's folder name. */
export type LayoutName = (typeof LAYOUTS)[number];

/** A layout's folder files (paths relative to the folder), its weights for the reference, and facts for tests. */
export interface LayoutFolder {
  files: OutFile[];
  /** The weights the graph computes with (dequantized / rounded), for ReferenceSession. */
  reference: ModelWeights;
  /** Activations in float16: logits match the float32 reference only to about 1e-2. */
  f16: boolean;
  /** The dtype the folder's files are named for. */
  dtype: 'fp32' | 'q4' | 'q4f16';
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
const cache = new Map<LayoutName, LayoutFolder>();

/** tiny-llama's non-ONNX files, config.json patched with `tjs` as its transformers.js_config. */
function baseFiles(tjs: Record<string, unknown>): OutFile[] {
  return modelFiles('tiny-llama')
    .filter((f) => !f.path.endsWith('.onnx'))
    .map((f) => {
      const path = f.path.slice('tiny-llama/'.length);
      if (path !== 'config.json') return { path, bytes: f.bytes };
      const cfg = JSON.parse(new TextDecoder().decode(f.bytes)) as Record<string, unknown>;
      return { path, bytes: json({ ...cfg, logitscope: undefined, 'transformers.js_config': tjs }) };
    });
}

function build(name: LayoutName): LayoutFolder {
  const spec = loadSpec('tiny-llama');
  const w = modelWeights('tiny-llama');
  switch (name) {
    case 'genai-int4':
    case 'genai-int4-nopos':
    case 'genai-int4f16': {
      const f16 = name === 'genai-int4f16';
      const g = buildGenaiOnnx(spec, w, { positionIds: name !== 'genai-int4-nopos', precision: f16 ? 'fp16' : 'fp32' });
      const dtype = f16 ? 'q4f16' : 'q4';
      const tjs = f16 ? { dtype, kv_cache_dtype: { q4f16: 'float16' } } : { dtype };
      return { files: [...baseFiles(tjs), { path: `onnx/model_${dtype}.onnx`, bytes: g.onnx }], reference: g.reference, f16, dtype };
    }
    case 'optimum-external': {
      const o = buildOptimumOnnx(spec, w, 2);
      const data = o.data.map((bytes, i) => ({ path: `onnx/model.onnx_data${i === 0 ? '' : `_${i}`}`, bytes }));
      const tjs = { dtype: 'fp32', use_external_data_format: 2, kv_cache_dtype: { q4f16: 'float16', fp16: 'float16' } };
      return { files: [...baseFiles(tjs), { path: 'onnx/model.onnx', bytes: o.graph }, ...data], reference: w, f16: false, dtype: 'fp32' };
    }
    case 'split-embed': {
      const s = buildSplitEmbedOnnx(spec, w);
      const files = [...baseFiles({ dtype: 'q4' }), { path: 'onnx/embed_tokens_q4.onnx', bytes: s.embed }, { path: 'onnx/decoder_model_merged_q4.onnx', bytes: s.decoder }];
      return { files, reference: s.reference, f16: false, dtype: 'q4' };
    }
  }
}

/** The folder of layout `name` (built once per process). */
export function layoutFolder(name: LayoutName): LayoutFolder {
  let f = cache.get(name);
  if (!f) {
    f = build(name);
    cache.set(name, f);
  }
  return f;
}
