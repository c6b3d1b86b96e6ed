// Whether a model can run on the chosen device, decided before decoding starts. fp16 tensors on
// WebGPU need the adapter feature `shader-f16`; without it ORT loads such a graph fine and fails
// only at the first run() ("Program Gather requires f16"). So we judge the dtype name, then the
// graph itself (a file named for fp32 may hold fp16 weights), and refuse with what works instead.
import { LogitscopeError } from '../errors';
import type { Backend, Dtype } from '../../protocol';
import { ONNX_FLOAT16, type OnnxScan } from './onnx-scan';
import { onnxFileFor } from './source';

/** dtypes whose Hub files compute in fp16 (`model_fp16.onnx`, `model_q4f16.onnx`). */
export const F16_DTYPES: readonly Dtype[] = ['fp16', 'q4f16'];

/** The WebGPU feature fp16 tensors need. */
export const SHADER_F16 = 'shader-f16';

/** Whether fp16 tensors can run: always on WASM (CPU kernels), on WebGPU only with `shader-f16`. */
export function f16Runs(backend: Backend, shaderF16: boolean): boolean {
  return backend === 'wasm' || shaderF16;
}

/** Whether a dtype's file computes in fp16 by the Hub naming convention. */
export function dtypeNeedsF16(dtype: Dtype): boolean {
  return F16_DTYPES.includes(dtype);
}

/** What the checks read from a graph: its protobuf scan before loading, or ORT's session metadata. */
export interface GraphFacts {
  /** Graph inputs and outputs declared float16 (`past_key_values.0.key`, `logits`, ...). */
  f16Values: string[];
  /** float16 initializers and constants plus Cast-to-float16 nodes. */
  f16Ops: number;
  /** Fixed last dimension of the `logits` output, or null when symbolic or absent. */
  logitsWidth: number | null;
}

/** A graph value as ORT's session metadata describes it (only tensors carry a type and shape). */
export interface ValueMeta {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: ReadonlyArray<number | string>;
}

function widthOf(dims: ReadonlyArray<number | string | null> | undefined): number | null {
  const last = dims && dims.length === 3 ? dims[2] : null;
  return typeof last === 'number' && last > 0 ? last : null;
}

/** Facts from the protobuf scan of the ONNX file. */
export function factsFromScan(scan: OnnxScan): GraphFacts {
  const values = [...scan.inputs, ...scan.outputs];
  return {
    f16Values: values.filter((v) => v.elemType === ONNX_FLOAT16).map((v) => v.name),
    f16Ops: scan.f16Tensors + scan.f16Casts,
    logitsWidth: widthOf(scan.outputs.find((o) => o.name === 'logits')?.dims),
  };
}

/** Facts from an ORT session's input and output metadata (weights are not visible there). */
export function factsFromMetadata(inputs: readonly ValueMeta[], outputs: readonly ValueMeta[]): GraphFacts {
  const f16 = (m: ValueMeta) => m.isTensor && m.type === 'float16';
  const logits = outputs.find((o) => o.name === 'logits');
  return {
    f16Values: [...inputs, ...outputs].filter(f16).map((m) => m.name),
    f16Ops: 0,
    logitsWidth: logits && logits.isTensor ? widthOf(logits.shape) : null,
  };
}

/** What in the graph is fp16, for a message (`fp16 logits, past_key_values.0.key, … and 42 fp16 weights or casts`), or null. */
export function f16Description(facts: GraphFacts): string | null {
  if (facts.f16Values.length === 0 && facts.f16Ops === 0) return null;
  const parts: string[] = [];
  if (facts.f16Values.length > 0) {
    const shown = [...facts.f16Values].sort((a, b) => Number(b === 'logits') - Number(a === 'logits')).slice(0, 3);
    parts.push(`fp16 ${shown.join(', ')}${facts.f16Values.length > shown.length ? `, … (${facts.f16Values.length} inputs/outputs)` : ''}`);
  }
  if (facts.f16Ops > 0) parts.push(`${facts.f16Ops} fp16 weights, constants or casts`);
  return parts.join(' and ');
}

/**
 * The refusal for something that needs `shader-f16` on an adapter without it: names the feature
 * and what works here (other dtypes the folder offers, and the WASM backend).
 */
export function shaderF16Error(subject: string, alternatives: readonly Dtype[]): LogitscopeError {
  const other =
    alternatives.length > 0
      ? `pick a dtype in Weights that this folder offers without fp16 (${alternatives.map((d) => `${d} (${onnxFileFor(d)})`).join(', ')}), or `
      : '';
  return new LogitscopeError(
    'model-invalid',
    `${subject} needs the WebGPU feature ${SHADER_F16}, which this GPU adapter does not have. To run it here, ${other}switch Backend to WASM, which runs fp16 models on the CPU.`,
  );
}

/** Refuse a graph whose facts show fp16 when fp16 cannot run; `alternatives` is asked only then. */
export async function checkGraphRuns(
  facts: GraphFacts,
  opts: { f16Runs: boolean; where: string; dtype: Dtype; alternatives: () => Promise<Dtype[]> },
): Promise<void> {
  if (opts.f16Runs) return;
  const what = f16Description(facts);
  if (!what) return;
  throw shaderF16Error(`${opts.where} (dtype ${opts.dtype}) computes in fp16 (${what}) and`, await opts.alternatives());
}
