import type * as ort from 'onnxruntime-web/webgpu';
import { f16ArrayToF32 } from '../../kernels/reference/f16';

/** Hidden-state rows read to the CPU, and the bytes that crossed. */
export interface HiddenRows {
  /** One float32 vector [d] per (batch, position), batch-major. */
  rows: Float32Array[];
  /** Bytes of the tensor's data (GPU download on WebGPU; the CPU copy on WASM). */
  bytes: number;
}

/**
 * Read a `last_hidden_state` tensor [batch, seq, d] (f32 or f16, GPU- or CPU-resident) into float32
 * rows. Small by design: contrastive search reads [k, d] per step and the prompt's [L, d] once.
 */
export async function readHidden(t: ort.Tensor): Promise<HiddenRows> {
  const [batch, seq, dim] = t.dims;
  if (t.dims.length !== 3 || !batch || !seq || !dim) throw new Error(`last_hidden_state must be [batch, seq, hidden], got [${t.dims.join(', ')}]`);
  const data: unknown = await t.getData();
  let flat: Float32Array;
  if (data instanceof Float32Array) flat = data;
  else if (data instanceof Uint16Array) flat = f16ArrayToF32(data);
  else if (ArrayBuffer.isView(data) && t.type === 'float16') flat = Float32Array.from(data as unknown as ArrayLike<number>);
  else throw new Error(`last_hidden_state of type ${t.type} is not supported`);
  if (flat.length !== batch * seq * dim) throw new Error(`last_hidden_state holds ${flat.length} values, expected ${batch * seq * dim}`);
  const rows: Float32Array[] = [];
  for (let r = 0; r < batch * seq; r++) rows.push(flat.slice(r * dim, (r + 1) * dim));
  return { rows, bytes: flat.length * (t.type === 'float16' ? 2 : 4) };
}
