// Reads what an ONNX graph declares (element types of its inputs, outputs, initializers and Cast
// targets; the logits width) straight from the protobuf wire format, skipping weight bytes, so a
// model can be judged before ORT compiles it. onnx-proto is Node-only; this runs in the worker.

/** ONNX TensorProto.DataType of IEEE binary16. */
export const ONNX_FLOAT16 = 10;

/** A graph input or output: name, element type, dims (a number, a symbolic name, or null). */
export interface ValueDecl {
  name: string;
  elemType: number;
  dims: (number | string | null)[];
}

/** What the graph declares, as far as the capability and config checks need it. */
export interface OnnxScan {
  inputs: ValueDecl[];
  outputs: ValueDecl[];
  /** Initializers (and Constant-node / attribute tensors) stored as float16. */
  f16Tensors: number;
  /** Cast nodes whose `to` is float16. */
  f16Casts: number;
}

const utf8 = new TextDecoder();

/** A cursor over one protobuf message's bytes. */
class Reader {
  pos: number;
  constructor(
    private readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** Next field as [field number, wire type], or null at the end of the message. */
  tag(): [number, number] | null {
    if (this.pos >= this.end) return null;
    const t = this.varint();
    return [Math.floor(t / 8), t % 8];
  }

  /** A length-delimited field's sub-reader (the cursor moves past it). */
  sub(): Reader {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw new Error('length-delimited field runs past its message');
    this.pos += len;
    return new Reader(this.buf, start, start + len);
  }

  string(): string {
    const r = this.sub();
    return utf8.decode(this.buf.subarray(r.pos, r.end));
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.sub();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new Error('field runs past its message');
  }
}

/** Calls `on(field, wire, reader)` for each field; `on` consumes the field or returns false to skip it. */
function fields(r: Reader, on: (field: number, wire: number) => boolean): void {
  for (let t = r.tag(); t; t = r.tag()) if (!on(t[0], t[1])) r.skip(t[1]);
}

function tensorType(r: Reader): number {
  let type = 0;
  fields(r, (f, w) => (f === 2 && w === 0 ? ((type = r.varint()), true) : false));
  return type;
}

function dims(r: Reader): (number | string | null)[] {
  const out: (number | string | null)[] = [];
  fields(r, (f, w) => {
    if (f !== 1 || w !== 2) return false;
    const d = r.sub();
    let v: number | string | null = null;
    fields(d, (df, dw) => (df === 1 && dw === 0 ? ((v = d.varint()), true) : df === 2 && dw === 2 ? ((v = d.string()), true) : false));
    out.push(v);
    return true;
  });
  return out;
}

function valueDecl(r: Reader): ValueDecl {
  const v: ValueDecl = { name: '', elemType: 0, dims: [] };
  fields(r, (f, w) => {
    if (f === 1 && w === 2) v.name = r.string();
    else if (f === 2 && w === 2) {
      const type = r.sub();
      fields(type, (tf, tw) => {
        if (tf !== 1 || tw !== 2) return false;
        const tensor = type.sub();
        fields(tensor, (ef, ew) =>
          ef === 1 && ew === 0 ? ((v.elemType = tensor.varint()), true) : ef === 2 && ew === 2 ? ((v.dims = dims(tensor.sub())), true) : false,
        );
        return true;
      });
    } else return false;
    return true;
  });
  return v;
}

function node(r: Reader, scan: OnnxScan): void {
  let op = '';
  let castTo = -1;
  fields(r, (f, w) => {
    if (f === 4 && w === 2) op = r.string();
    else if (f === 5 && w === 2) {
      const a = r.sub();
      let name = '';
      let i = -1;
      fields(a, (af, aw) => {
        if (af === 1 && aw === 2) name = a.string();
        else if (af === 3 && aw === 0) i = a.varint();
        else if ((af === 5 || af === 10) && aw === 2) scan.f16Tensors += tensorType(a.sub()) === ONNX_FLOAT16 ? 1 : 0;
        else if ((af === 6 || af === 11) && aw === 2) graph(a.sub(), scan, false);
        else return false;
        return true;
      });
      if (name === 'to') castTo = i;
    } else return false;
    return true;
  });
  if (op === 'Cast' && castTo === ONNX_FLOAT16) scan.f16Casts++;
}

function graph(r: Reader, scan: OnnxScan, top: boolean): void {
  fields(r, (f, w) => {
    if (w !== 2) return false;
    if (f === 1) node(r.sub(), scan);
    else if (f === 5) scan.f16Tensors += tensorType(r.sub()) === ONNX_FLOAT16 ? 1 : 0;
    else if (f === 11 && top) scan.inputs.push(valueDecl(r.sub()));
    else if (f === 12 && top) scan.outputs.push(valueDecl(r.sub()));
    else return false;
    return true;
  });
}

/**
 * Scan a serialized ONNX ModelProto, or null when the bytes do not parse (ORT then reports the
 * file as it always has). Weight bytes are skipped, not copied, so this is cheap even for large
 * exports; external data is never touched.
 */
export function scanOnnx(bytes: Uint8Array): OnnxScan | null {
  const scan: OnnxScan = { inputs: [], outputs: [], f16Tensors: 0, f16Casts: 0 };
  try {
    const model = new Reader(bytes, 0, bytes.length);
    let graphs = 0;
    // ModelProto field 7 is the graph.
    fields(model, (f, w) => (f === 7 && w === 2 ? (graph(model.sub(), scan, true), graphs++, true) : false));
    return graphs === 1 ? scan : null;
  } catch {
    return null;
  }
}
