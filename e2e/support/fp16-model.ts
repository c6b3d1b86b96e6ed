// Rewrites an fp32 ONNX decoder into an all-fp16 one (fp16 weights, fp16 KV cache, fp16 logits),
// the layout of real fp16 exports, as a fixture for the shader-f16 capability check: such a graph
// runs on WASM but needs `shader-f16` on WebGPU. Node-only (loads the CommonJS onnx-proto module).
import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';
import { f32ToF16Bits } from '../../kernels/reference/f16';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto') as typeof OnnxProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const FLOAT16 = onnx.TensorProto.DataType.FLOAT16;
/** Largest finite binary16 value: bigger constants (the −1e9 attention mask) are clamped to it. */
const F16_MAX = 65504;

function f32Values(t: OnnxProto.onnx.ITensorProto): Float32Array {
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
  return Float32Array.from(t.floatData ?? []);
}

/** The tensor as FLOAT16 raw data (little-endian), values clamped to ±65504 so none becomes inf. */
function toF16Tensor(t: OnnxProto.onnx.ITensorProto): void {
  if (t.dataType !== FLOAT) return;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new Error(`initializer ${t.name}: external data is not supported here`);
  const values = f32Values(t);
  const raw = new Uint8Array(values.length * 2);
  const view = new DataView(raw.buffer);
  values.forEach((x, i) => view.setUint16(i * 2, f32ToF16Bits(Math.max(-F16_MAX, Math.min(F16_MAX, x))), true));
  t.dataType = FLOAT16;
  t.rawData = raw;
  t.floatData = [];
}

function retypeValueInfo(v: OnnxProto.onnx.IValueInfoProto): void {
  const tt = v.type?.tensorType;
  if (tt && tt.elemType === FLOAT) tt.elemType = FLOAT16;
}

function convertNode(n: OnnxProto.onnx.INodeProto): void {
  for (const a of n.attribute ?? []) {
    // Cast(to=FLOAT) produces the mask and must feed fp16 arithmetic now.
    if (n.opType === 'Cast' && a.name === 'to' && Number(a.i) === FLOAT) a.i = FLOAT16;
    if (a.t) toF16Tensor(a.t);
    for (const t of a.tensors ?? []) toF16Tensor(t);
    if (a.g) convertGraph(a.g);
    for (const g of a.graphs ?? []) convertGraph(g);
  }
}

function convertGraph(g: OnnxProto.onnx.IGraphProto): void {
  for (const t of g.initializer ?? []) toF16Tensor(t);
  for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) retypeValueInfo(v);
  for (const n of g.node ?? []) convertNode(n);
}

/**
 * The fp16 version of an fp32 model: every float initializer, constant, graph input/output and
 * Cast target becomes FLOAT16, so the whole graph computes in fp16.
 */
export function toFp16Model(model: Uint8Array): Buffer {
  const proto = onnx.ModelProto.decode(model);
  if (!proto.graph) throw new Error('the model has no graph');
  convertGraph(proto.graph);
  return Buffer.from(onnx.ModelProto.encode(proto).finish());
}
