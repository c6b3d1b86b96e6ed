// Rewrites an ONNX model so that its large initializers live in a separate `.onnx_data` file,
// the layout Hub exports use above 2 GB (Qwen2.5 1.5B fp32/fp16): a test fixture for the loader's
// external-data path. Node-only (loads the CommonJS onnx-proto module).
import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto') as typeof OnnxProto;

/** Initializers at least this large (bytes) move to the data file. */
const MIN_EXTERNAL_BYTES = 1024;

/** The graph without its large weights, and the data file holding them at `location`. */
export function splitExternalData(model: Uint8Array, location: string): { graph: Buffer; data: Buffer } {
  const proto = onnx.ModelProto.decode(model);
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const init of proto.graph?.initializer ?? []) {
    const raw = init.rawData;
    if (!raw || raw.length < MIN_EXTERNAL_BYTES) continue;
    chunks.push(Buffer.from(raw));
    init.externalData = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.length) },
    ];
    init.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    init.rawData = new Uint8Array(0);
    offset += raw.length;
  }
  if (chunks.length === 0) throw new Error('the model has no initializer large enough to move');
  return { graph: Buffer.from(onnx.ModelProto.encode(proto).finish()), data: Buffer.concat(chunks) };
}
