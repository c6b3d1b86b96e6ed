// A minimal ONNX graph builder over onnx-proto. Node-only (loads the CommonJS protobuf module).
// Everything it emits is a pure function of the calls made, so the bytes are deterministic.
import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto') as typeof OnnxProto;

/** ONNX element types used by the test models. */
export const DType = { FLOAT: 1, INT64: 7, BOOL: 9 } as const;
/** An ONNX element type number (TensorProto.DataType). */
export type DTypeCode = (typeof DType)[keyof typeof DType];
/** A value-info dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;
/** Node attribute value: an integer becomes INT, an integer list INTS, `{ f }` a FLOAT. */
export type AttrValue = number | number[] | { f: number };

/** IR version 8 pairs with opset 17 and loads in onnxruntime 1.14+ (node and web). */
export const IR_VERSION = 8;
/** Default-domain opset of the emitted models. */
export const OPSET = 17;

function valueInfo(name: string, elemType: DTypeCode, dims: Dim[]): OnnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function attribute(name: string, v: AttrValue): OnnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  return { name, type: T.FLOAT, f: v.f };
}

// Little-endian regardless of the host, as the ONNX spec requires for raw_data.
function floatBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return out;
}

function int64Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => view.setBigInt64(i * 8, BigInt(x), true));
  return out;
}

/** Accumulates nodes, initializers and graph I/O, then serialises one ModelProto. */
export class GraphBuilder {
  private readonly nodes: OnnxProto.onnx.INodeProto[] = [];
  private readonly inits: OnnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: OnnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: OnnxProto.onnx.IValueInfoProto[] = [];
  private readonly constCache = new Map<string, string>();
  private counter = 0;

  /** Declares a graph input. */
  input(name: string, elemType: DTypeCode, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** Declares a graph output; some node must produce `name`. */
  output(name: string, elemType: DTypeCode, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Adds a float32 initializer with the given dims (row-major data); returns its name. */
  floatInit(name: string, dims: number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${name}: dims ${dims.join('x')} need ${count} values, got ${data.length}`);
    this.inits.push({ name, dims, dataType: DType.FLOAT, rawData: floatBytes(data) });
    return name;
  }

  /** A shared int64 constant (dims [] for a scalar); equal values reuse one initializer. */
  i64(values: number[], dims: number[] = [values.length]): string {
    return this.constant(`i64[${dims.join(',')}]:${values.join(',')}`, () => ({
      dims,
      dataType: DType.INT64,
      rawData: int64Bytes(values),
    }));
  }

  /** A shared float32 scalar constant. */
  f32(value: number): string {
    return this.constant(`f32:${value}`, () => ({ dims: [], dataType: DType.FLOAT, rawData: floatBytes(Float32Array.of(value)) }));
  }

  private constant(key: string, make: () => OnnxProto.onnx.ITensorProto): string {
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = `const_${this.constCache.size}`;
    this.inits.push({ ...make(), name });
    this.constCache.set(key, name);
    return name;
  }

  /** Appends a node with one output (auto-named unless `out` is given); returns the output name. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string): string {
    const id = this.counter++;
    const output = out ?? `${op}_${id}`;
    const attribute_ = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push({ name: `${op}_node_${id}`, opType: op, input: inputs, output: [output], attribute: attribute_ });
    return output;
  }

  /** Serialises the model (IR_VERSION, default-domain OPSET) to protobuf bytes. */
  encode(graphName: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'logitscope-gen-models',
      producerVersion: '1',
      graph: { name: graphName, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
