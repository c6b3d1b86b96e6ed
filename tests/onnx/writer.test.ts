// The project's ONNX writer against onnx-proto (protobufjs over the official onnx.proto): what we
// write decodes to the same model, and re-encoding that gives our bytes back exactly.
import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { DType, GraphBuilder } from '../../workers/onnx/graph-builder';
import { encodeModel } from '../../workers/onnx/onnx-model';
import { ProtoWriter } from '../../workers/onnx/proto-writer';

const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof OnnxProto;

function sample(): Uint8Array {
  const b = new GraphBuilder();
  b.input('x', DType.FLOAT, ['batch', 3]);
  b.input('h', DType.FLOAT16, [1, 'n']);
  b.output('y', DType.FLOAT, ['batch', 3]);
  const w = b.floatInit('w', [3, 3], Float32Array.from({ length: 9 }, (_, i) => i - 4.5));
  const mm = b.node('MatMul', ['x', w]);
  const t = b.node('Transpose', [mm], { perm: [1, 0] });
  const s = b.node('Softmax', [b.node('Transpose', [t], { perm: [1, 0] })], { axis: -1 });
  const scaled = b.node('Mul', [s, b.f32(0.25)]);
  b.node('Identity', [b.node('SimplifiedLayerNormalization', [scaled, b.i64([-7, 2 ** 40])], { epsilon: { f: 1e-6 }, axis: -1 }, undefined, 'com.microsoft')], {}, 'y');
  b.rawInit('big', [2], DType.INT64, new Uint8Array(16).fill(255));
  return b.encode('sample', 'writer-test', [{ domain: 'com.microsoft', version: 1 }]);
}

describe('ONNX writer', () => {
  it('round-trips through onnx-proto byte for byte', () => {
    const ours = sample();
    const decoded = onnx.ModelProto.decode(ours);
    expect(Buffer.compare(Buffer.from(onnx.ModelProto.encode(decoded).finish()), Buffer.from(ours))).toBe(0);
  });

  it('decodes to the model that was built', () => {
    // toObject's result is untyped JSON; the assertions below check its shape.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const m = onnx.ModelProto.toObject(onnx.ModelProto.decode(sample()), { longs: String, bytes: Array, defaults: false }) as Record<string, any>;
    expect(m.irVersion).toBe('8');
    expect(m.opsetImport).toEqual([{ domain: '', version: '17' }, { domain: 'com.microsoft', version: '1' }]);
    const g = m.graph;
    expect(g.input[1]).toEqual({ name: 'h', type: { tensorType: { elemType: 10, shape: { dim: [{ dimValue: '1' }, { dimParam: 'n' }] } } } });
    const ln = g.node.find((n: { opType: string }) => n.opType === 'SimplifiedLayerNormalization');
    expect(ln.domain).toBe('com.microsoft');
    expect(ln.attribute[0].f).toBeCloseTo(1e-6, 12);
    expect(ln.attribute[1]).toMatchObject({ name: 'axis', i: '-1', type: 2 });
    const perm = g.node.find((n: { opType: string }) => n.opType === 'Transpose').attribute[0];
    expect(perm).toMatchObject({ name: 'perm', ints: ['1', '0'], type: 7 });
    const i64 = g.initializer.find((t: { name: string; dataType: number; dims?: string[] }) => t.dataType === 7 && t.dims?.[0] === '2' && t.name !== 'big');
    const view = new DataView(Uint8Array.from(i64.rawData).buffer);
    expect([view.getBigInt64(0, true), view.getBigInt64(8, true)]).toEqual([-7n, 2n ** 40n]);
    const w = g.initializer.find((t: { name: string }) => t.name === 'w');
    expect(Array.from(new Float32Array(Uint8Array.from(w.rawData).buffer))).toEqual(Array.from({ length: 9 }, (_, i) => i - 4.5));
  });

  it('writes external-data references and string attributes', () => {
    const bytes = encodeModel({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producerName: 'p',
      producerVersion: '1',
      graph: {
        name: 'g',
        nodes: [{ name: 'n', opType: 'Cast', domain: '', inputs: ['a'], outputs: ['b'], attrs: { note: { s: 'ü' }, to: 1 } }],
        initializers: [{ name: 'a', dims: [4], dataType: DType.FLOAT, raw: null, external: { location: 'model.onnx_data', offset: 1024, length: 16 } }],
        inputs: [],
        outputs: [{ name: 'b', elemType: DType.FLOAT, dims: [4] }],
      },
    });
    const g = onnx.ModelProto.decode(bytes).graph!;
    const t = g.initializer![0]!;
    expect(t.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
    expect(t.externalData!.map((e) => [e.key, e.value])).toEqual([['location', 'model.onnx_data'], ['offset', '1024'], ['length', '16']]);
    expect(new TextDecoder().decode(g.node![0]!.attribute![0]!.s!)).toBe('ü');
  });

  it('encodes varints of every size and negative int64 as ten bytes', () => {
    for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1]) {
      const round = new ProtoWriter().int(2, v).finish();
      expect(String(onnx.OperatorSetIdProto.decode(round).version)).toBe(String(v));
    }
    expect(new ProtoWriter().int(2, -1).finish().length).toBe(11);
    expect(() => new ProtoWriter().int(2, 1.5)).toThrow(/needs an integer/);
  });
});
