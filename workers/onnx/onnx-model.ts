// ONNX ModelProto as plain data, and its protobuf encoding (field numbers from onnx.proto). The
// project writes its own models with this: the built-in models at build time and llama2.c imports
// in the worker. Fields are written in field-number order, as protobufjs does.
import { ProtoWriter } from './proto-writer';

/** ONNX element types (TensorProto.DataType) the project writes. */
export const DType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
/** An ONNX element type number. */
export type DTypeCode = (typeof DType)[keyof typeof DType];
/** A value-info dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;
/** Node attribute value: integer → INT, integer list → INTS, `{ f }` → FLOAT, `{ s }` → STRING. */
export type AttrValue = number | number[] | { f: number } | { s: string };

/** An initializer: raw little-endian data, or a reference to an external data file. */
export interface TensorDef {
  name: string;
  dims: number[];
  dataType: DTypeCode;
  /** Inline raw data (little-endian), or null when `external` is set. */
  raw: Uint8Array | null;
  /** Where the data lives outside the model file (ONNX external data), if it does. */
  external?: { location: string; offset: number; length: number };
}

/** One graph node. */
export interface NodeDef {
  name: string;
  opType: string;
  /** Operator domain; '' is the default ONNX domain. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

/** A graph input or output with its element type and shape. */
export interface ValueInfoDef {
  name: string;
  elemType: DTypeCode;
  dims: Dim[];
}

/** A whole model. */
export interface ModelDef {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  graph: { name: string; nodes: NodeDef[]; initializers: TensorDef[]; inputs: ValueInfoDef[]; outputs: ValueInfoDef[] };
}

const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

function attribute(name: string, v: AttrValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof v === 'number') return w.int(3, v).int(20, ATTR.INT);
  if (Array.isArray(v)) return w.packedInts(8, v).int(20, ATTR.INTS);
  if ('f' in v) return w.float(2, v.f).int(20, ATTR.FLOAT);
  return w.string(4, v.s).int(20, ATTR.STRING);
}

function node(n: NodeDef): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [k, v] of Object.entries(n.attrs)) w.message(5, attribute(k, v));
  if (n.domain !== '') w.string(7, n.domain);
  return w;
}

function tensor(t: TensorDef): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  if (t.external) {
    const entry = (key: string, value: string): ProtoWriter => new ProtoWriter().string(1, key).string(2, value);
    w.message(13, entry('location', t.external.location));
    w.message(13, entry('offset', String(t.external.offset)));
    w.message(13, entry('length', String(t.external.length)));
    w.int(14, 1);
  }
  return w;
}

function valueInfo(v: ValueInfoDef): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** Serialises `m` to ONNX protobuf bytes. */
export function encodeModel(m: ModelDef): Uint8Array<ArrayBuffer> {
  const g = new ProtoWriter();
  for (const n of m.graph.nodes) g.message(1, node(n));
  g.string(2, m.graph.name);
  for (const t of m.graph.initializers) g.message(5, tensor(t));
  for (const v of m.graph.inputs) g.message(11, valueInfo(v));
  for (const v of m.graph.outputs) g.message(12, valueInfo(v));
  const w = new ProtoWriter().int(1, m.irVersion).string(2, m.producerName).string(3, m.producerVersion).message(7, g);
  for (const o of m.opsets) {
    w.message(8, new ProtoWriter().string(1, o.domain).int(2, o.version));
  }
  return w.finish();
}
