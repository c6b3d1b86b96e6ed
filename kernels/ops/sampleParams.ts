/**
 * Host mirror of sampleParams.wgsl: the Params uniform (40 words, one 256-byte-aligned slot per
 * dispatch), the state-buffer and record layouts, and the WGSL source assembly of the two modules.
 */
import logitLoadWgsl from '../wgsl/logitLoad.wgsl?raw';
import sampleParamsWgsl from '../wgsl/sampleParams.wgsl?raw';
import sampleU64Wgsl from '../wgsl/sampleU64.wgsl?raw';
import sampleExpWgsl from '../wgsl/sampleExp.wgsl?raw';
import { exp2TablesWgsl } from '../reference/sampleExp';

/** Params words in WGSL order; `f` marks f32 words (the rest are u32); pw0..pw3 are the vec4 `pw`. */
export const FIELDS = [
  'base', 'n', 'isF16', 'chunks', 'amBase', 'amValid', 'amF16', 'form',
  'nHistory', 'nSparse', 'procOn', 'never', 'pw0:f', 'pw1:f', 'pw2:f', 'pw3:f',
  'invAmT:f', 'logAlpha:f', 'onePlusBeta:f', 'recordOffset', 'stage', 'kind', 'arg', 'uniform',
  'slot', 'round', 'sampling', 'nTokens', 'mode', 'coefA', 'coefB', 'qN',
  'ymaxP:f', 'ymaxQ:f', 'flags', 'beta:f', 'arg2', 'nAllow', 'spare1', 'spare2',
] as const;

type FieldName<T> = T extends `${infer N}:f` ? N : T;

/** Values of one Params slot (missing fields are 0). */
export type ParamValues = Partial<Record<FieldName<(typeof FIELDS)[number]>, number>>;

/** Bytes of the Params struct as bound (40 words, a multiple of 16 bytes). */
export const PARAMS_BYTES = FIELDS.length * 4;

/** u32 words of the sampler's GPU state buffer. */
export const STATE_WORDS = 32;

/** Record words written by drawFind (sampleParams.wgsl R_*). */
export const SAMPLE_RECORD_WORDS = 32;

/** Word offsets of the record (sampleParams.wgsl R_*). */
export const R = {
  id: 0, raw: 1, weight: 2, kept: 3, mass: 4, ymax: 6, argmax: 7, finite: 8, bad: 9,
  lseE: 10, lseA: 11, fallback: 12, rmass: 13, tokens: 16,
} as const;

/** Writes `slots` Params slots into one buffer, `stride` bytes apart. */
export function packParams(slots: ParamValues[], stride: number): ArrayBuffer {
  const buf = new ArrayBuffer(stride * slots.length);
  slots.forEach((values, s) => {
    const u = new Uint32Array(buf, s * stride, FIELDS.length);
    const f = new Float32Array(buf, s * stride, FIELDS.length);
    FIELDS.forEach((field, i) => {
      const isFloat = field.endsWith(':f');
      const name = (isFloat ? field.slice(0, -2) : field) as keyof ParamValues;
      const v = values[name] ?? 0;
      if (isFloat) f[i] = v;
      else u[i] = v;
    });
  });
  return buf;
}

/** Uniform slot stride on this device (Params rounded up to the dynamic-offset alignment). */
export function slotStride(device: GPUDevice): number {
  const align = device.limits.minUniformBufferOffsetAlignment;
  return Math.ceil(PARAMS_BYTES / align) * align;
}

/** f32 value of u32 bits. */
export function bitsToF32(bits: number): number {
  return new Float32Array(new Uint32Array([bits]).buffer)[0]!;
}

/** Full WGSL source of a module: the shared preludes then `body`. */
export function sampleModuleSource(body: string, withExp: boolean): string {
  const parts = [logitLoadWgsl, sampleParamsWgsl];
  if (withExp) parts.push(sampleU64Wgsl, sampleExpWgsl.replace('//@EXP2_TABLES', exp2TablesWgsl()));
  parts.push(body);
  return parts.join('\n');
}

/** Chunks of `n` entries for a workgroup size (WG × 16 entries per chunk). */
export function chunkCount(n: number, workgroupSize: number): number {
  return Math.ceil(n / (workgroupSize * 16));
}

/** A bind-group-layout entry of a compute storage / uniform buffer. */
export function bufferEntry(binding: number, type: GPUBufferBindingType, dynamic = false): GPUBindGroupLayoutEntry {
  return { binding, visibility: GPUShaderStage.COMPUTE, buffer: { type, hasDynamicOffset: dynamic } };
}
