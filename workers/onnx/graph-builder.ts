// Builds an ONNX graph node by node and serialises it with the project's own encoder. Everything it
// emits is a pure function of the calls made, so the bytes are deterministic.
import { DType, encodeModel, type AttrValue, type Dim, type DTypeCode, type ModelDef, type NodeDef, type TensorDef, type ValueInfoDef } from './onnx-model';

export { DType, type AttrValue, type Dim, type DTypeCode, type ModelDef } from './onnx-model';

/** IR version 8 pairs with opset 17 and loads in onnxruntime 1.14+ (node and web). */
export const IR_VERSION = 8;
/** Default-domain opset of the emitted models. */
export const OPSET = 17;

/** Little-endian float32 bytes (as the ONNX spec requires for raw_data, whatever the host). */
export function floatBytes(data: Float32Array): Uint8Array {
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
  private readonly nodes: NodeDef[] = [];
  private readonly inits: TensorDef[] = [];
  private readonly inputs: ValueInfoDef[] = [];
  private readonly outputs: ValueInfoDef[] = [];
  private readonly constCache = new Map<string, string>();
  private counter = 0;

  /** Declares a graph input. */
  input(name: string, elemType: DTypeCode, dims: Dim[]): string {
    this.inputs.push({ name, elemType, dims });
    return name;
  }

  /** Declares a graph output; some node must produce `name`. */
  output(name: string, elemType: DTypeCode, dims: Dim[]): void {
    this.outputs.push({ name, elemType, dims });
  }

  /** Adds a float32 initializer with the given dims (row-major data); returns its name. */
  floatInit(name: string, dims: number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${name}: dims ${dims.join('x')} need ${count} values, got ${data.length}`);
    return this.rawInit(name, dims, DType.FLOAT, floatBytes(data));
  }

  /** Adds an initializer from raw little-endian bytes; returns its name. */
  rawInit(name: string, dims: number[], dataType: DTypeCode, raw: Uint8Array): string {
    this.inits.push({ name, dims, dataType, raw });
    return name;
  }

  /** A shared int64 constant (dims [] for a scalar); equal values reuse one initializer. */
  i64(values: number[], dims: number[] = [values.length]): string {
    return this.constant(`i64[${dims.join(',')}]:${values.join(',')}`, (name) => ({ name, dims, dataType: DType.INT64, raw: int64Bytes(values) }));
  }

  /** A shared float32 scalar constant. */
  f32(value: number): string {
    return this.constant(`f32:${value}`, (name) => ({ name, dims: [], dataType: DType.FLOAT, raw: floatBytes(Float32Array.of(value)) }));
  }

  private constant(key: string, make: (name: string) => TensorDef): string {
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = `const_${this.constCache.size}`;
    this.inits.push(make(name));
    this.constCache.set(key, name);
    return name;
  }

  /** Appends a node with one output (auto-named unless `out` is given); returns the output name. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string, domain = ''): string {
    const id = this.counter++;
    const output = out ?? `${op}_${id}`;
    this.nodes.push({ name: `${op}_node_${id}`, opType: op, domain, inputs, outputs: [output], attrs });
    return output;
  }

  /**
   * Appends a node with several outputs: `outputs[i]` is a name, '' for an output the graph does
   * not use (ONNX's convention for skipped optional outputs), or null for an automatic name.
   * Returns the names, '' kept.
   */
  nodeOuts(op: string, inputs: string[], outputs: (string | null)[], attrs: Record<string, AttrValue> = {}, domain = ''): string[] {
    const id = this.counter++;
    const names = outputs.map((o, i) => (o === null ? `${op}_${id}_${i}` : o));
    this.nodes.push({ name: `${op}_node_${id}`, opType: op, domain, inputs, outputs: names, attrs });
    return names;
  }

  /** The model as plain data (for rewriting before encoding, e.g. moving weights to external data). */
  toModelDef(graphName: string, producerName = 'logitscope-gen-models', extraOpsets: { domain: string; version: number }[] = []): ModelDef {
    return {
      irVersion: IR_VERSION,
      opsets: [{ domain: '', version: OPSET }, ...extraOpsets],
      producerName,
      producerVersion: '1',
      graph: { name: graphName, nodes: this.nodes, initializers: this.inits, inputs: this.inputs, outputs: this.outputs },
    };
  }

  /** Serialises the model (IR_VERSION, default-domain OPSET plus `extraOpsets`) to protobuf bytes. */
  encode(graphName: string, producerName = 'logitscope-gen-models', extraOpsets: { domain: string; version: number }[] = []): Uint8Array<ArrayBuffer> {
    return encodeModel(this.toModelDef(graphName, producerName, extraOpsets));
  }
}
