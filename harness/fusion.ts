import { LogitFusion } from '../kernels/ops/logitFusion';
import { LOGIT_FUSION_WGSL } from '../kernels/ops/logitFusion';
import { SAMPLE_WGSL } from '../kernels/ops/sample';
import { SampleRow, type SampleRowResult } from '../kernels/ops/sampleRow';
import { sampleModuleSource, STATE_WORDS } from '../kernels/ops/sampleParams';
import { logitFusionCpu, type CpuRow } from '../kernels/reference/logitFusion';
import { readRowsCpu } from '../kernels/reference/rowReadout';
import { drawCpu, keepCpu, keptWeight, residualCpu, type KeptRow } from '../kernels/reference/sample';
import { residualCoefficients, residualWeight } from '../kernels/reference/sampleMath';
import { softmaxStatsCpu } from '../kernels/reference/softmaxStats';
import { topKCpu } from '../kernels/reference/topK';
import type { FusionSpec, LogitRowsGpu, WarpSpec } from '../kernels/types';
import { fusionBatchParity } from './fusion-batch';
import { Comparator, makeCase, uploadCase } from './kernelCases';
import { mulberry32 } from '../workers/rng';

// Browser parity of logitFusion + the sampler (GPU) against their CPU references, on rows generated
// from a seed in the page: fused rows bit-exact, kept masks exact, ids exact for random uniforms and
// for uniforms at the inverse-CDF boundaries, floats within 1e-5 relative. Driven by e2e/fusion.spec.ts.

/** One parity case. */
export interface FusionCase {
  rowLength: number;
  dtype: 'f32' | 'f16';
  seed: number;
  validVocab?: number;
  maskedFraction?: number;
  tieLevels?: number;
  scale?: number;
  offsetElems?: number;
  contrast?: { form: 'logit' | 'logprob'; beta: number; alpha: number; amateurTemperature: number; amateurValidVocab?: number; amateurDtype?: 'f32' | 'f16' };
  penalty?: number;
  /** Presence penalty α (the history is the same `penaltyCount` random ids). */
  presence?: number;
  penaltyCount?: number;
  sparseCount?: number;
  /** Allow-bitmask (grammar): each token allowed with this probability (token 0 always); omitted = no mask. */
  allowFraction?: number;
  /** null / omitted = greedy (no temperature, no warpers, argmax). */
  temperature?: number | null;
  warp?: WarpSpec;
  /** Random uniforms drawn per case (besides argmax runs); default 4. */
  uniforms?: number;
  /** CDF boundaries tested (two uniforms each); default 3. */
  boundaries?: number;
  /** Also test the residual draw against a second processed row q. */
  residual?: boolean;
  /** validVocab of q in the residual test (default: the case's). */
  residualValidVocab?: number;
  k?: number;
  workgroupSize?: number;
}

/** Summary of one case (no rows cross back to the test). */
export interface FusionResult {
  ok: boolean;
  mismatches: string[];
  draws: number;
  keptCount: number;
  /** Finite entries of the fused row (what the warpers start from). */
  finite: number;
  bytesRead: number;
  ms: number;
}

let devicePromise: Promise<GPUDevice> | null = null;
const engines = new Map<number, SampleRow>();
const errors: string[] = [];

function gpuDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    const device = await adapter.requestDevice({ label: 'fusionHarness.device' });
    device.addEventListener('uncapturederror', (e) => errors.push(e.error.message));
    return device;
  })();
  return devicePromise;
}

function engineFor(device: GPUDevice, wg = 64): SampleRow {
  let e = engines.get(wg);
  if (!e) {
    e = new SampleRow(device, { workgroupSize: wg });
    engines.set(wg, e);
  }
  return e;
}

function upload(device: GPUDevice, c: FusionCase, seed: number, validVocab: number | undefined, dtype: 'f32' | 'f16') {
  const kc = makeCase({ rowLength: c.rowLength, rows: 1, k: 1, dtype, seed, validVocab, maskedFraction: c.maskedFraction, tieLevels: c.tieLevels, scale: c.scale, offsetElems: c.offsetElems });
  const gpu = uploadCase(device, kc, dtype);
  const o = kc.layout.offsetElems;
  const cpu: CpuRow = { data: kc.cpu.subarray(o, o + c.rowLength), validVocab: kc.layout.validVocab };
  return { gpu, cpu };
}

function specOf(c: FusionCase, n: number, rand: () => number): FusionSpec {
  const ids = (count: number) => [...new Set(Array.from({ length: count }, () => Math.floor(rand() * (n + 3))))];
  const sparseIds = ids(c.sparseCount ?? 0);
  const historyIds = ids(c.penaltyCount ?? 0);
  const processors: Record<string, number> = {};
  if (c.penalty !== undefined) processors.repetitionPenalty = c.penalty;
  if (c.presence !== undefined) processors.presencePenalty = c.presence;
  if (c.temperature !== undefined && c.temperature !== null) processors.temperature = c.temperature;
  return {
    historyIds,
    processors,
    contrast: c.contrast ? { form: c.contrast.form, beta: c.contrast.beta, alpha: c.contrast.alpha, amateurTemperature: c.contrast.amateurTemperature } : null,
    sparseIds,
    sparseValues: sparseIds.map(() => (rand() * 2 - 1) * 3),
    allowMask: c.allowFraction === undefined ? null : allowBits(n, c.allowFraction, rand),
  };
}

function allowBits(n: number, fraction: number, rand: () => number): Uint32Array {
  const words = new Uint32Array(Math.ceil(n / 32));
  for (let i = 0; i < n; i++) if (i === 0 || rand() < fraction) words[i >>> 5]! |= 1 << (i & 31);
  return words;
}

async function readWords(device: GPUDevice, src: GPUBuffer, words: number): Promise<Uint32Array> {
  const staging = device.createBuffer({ label: 'fusionHarness.staging', size: words * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder({ label: 'fusionHarness.copy' });
  enc.copyBufferToBuffer(src, 0, staging, 0, words * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Uint32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return out;
}

/** The fused row of LogitFusion alone vs logitFusionCpu, entry by entry (values equal, -0 == 0). */
async function checkFusedRow(device: GPUDevice, c: FusionCase, expert: LogitRowsGpu, amateur: LogitRowsGpu | null, spec: FusionSpec, want: Float32Array, cmp: Comparator) {
  const n = expert.validVocab;
  const fusion = new LogitFusion(device, { workgroupSize: c.workgroupSize ?? 64 });
  const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const y = device.createBuffer({ label: 'fusionHarness.y', size: n * 4, usage: S });
  const state = device.createBuffer({ label: 'fusionHarness.state', size: STATE_WORDS * 4, usage: S });
  const partials = device.createBuffer({ label: 'fusionHarness.partials', size: Math.ceil(n / 512 + 1) * 6 * 4, usage: S });
  const enc = device.createCommandEncoder({ label: 'fusionHarness.fuse' });
  const pass = enc.beginComputePass();
  fusion.encode(pass, { expert, amateur, spec, y, state, partials });
  pass.end();
  device.queue.submit([enc.finish()]);
  const got = new Float32Array((await readWords(device, y, n)).buffer);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    if (got[i] !== want[i] && bad++ < 4) cmp.fail(`fused y[${i}]: gpu ${got[i]} vs cpu ${want[i]}`);
  }
  if (bad > 4) cmp.fail(`fused y: ${bad} entries differ`);
  [y, state, partials].forEach((b) => b.destroy());
  fusion.dispose();
}

/** Uniforms at inverse-CDF boundaries of `weights` (total `mass`): U = ceil(C·2^32 / W) and U − 1. */
function boundaryUniforms(weight: (i: number) => number, n: number, mass: number, count: number, rand: () => number): number[] {
  const cums: number[] = [];
  let cum = 0;
  for (let i = 0; i < n; i++) {
    const w = weight(i);
    if (w > 0 && cum > 0) cums.push(cum);
    cum += w;
  }
  const out: number[] = [];
  for (let j = 0; j < count && cums.length > 0; j++) {
    const c = cums[Math.floor(rand() * cums.length)]!;
    const u = (BigInt(c) * 2n ** 32n + BigInt(mass) - 1n) / BigInt(mass);
    if (u < 2n ** 32n) out.push(Number(u) / 2 ** 32, Number(u - 1n) / 2 ** 32);
  }
  return out;
}

function compareRow(tag: string, g: SampleRowResult, cpu: { expert: CpuRow; kept: KeptRow; id: number; offset: number; k: number; tokenIds: number[] }, cmp: Comparator) {
  const { kept, expert } = cpu;
  if (g.id !== cpu.id) cmp.fail(`${tag} id: gpu ${g.id} vs cpu ${cpu.id}`);
  for (const key of ['kept', 'mass', 'ymax', 'argmax'] as const) if (g.kept[key] !== kept[key]) cmp.fail(`${tag} ${key}: gpu ${g.kept[key]} vs cpu ${kept[key]}`);
  if (g.weight !== keptWeight(kept, cpu.id)) cmp.fail(`${tag} weight: gpu ${g.weight} vs cpu ${keptWeight(kept, cpu.id)}`);
  cpu.tokenIds.forEach((t, j) => {
    if (g.tokenWeights[j] !== keptWeight(kept, t)) cmp.fail(`${tag} token ${t} weight: gpu ${g.tokenWeights[j]} vs cpu ${keptWeight(kept, t)}`);
  });
  const rawLayout = { offsetElems: 0, rowStrideElems: expert.data.length, rowLength: expert.data.length, rows: 1, validVocab: expert.validVocab };
  const raw = readRowsCpu(expert.data, rawLayout, { k: cpu.k, tokenIds: [cpu.id] }).rows;
  cmp.stats(`${tag} raw`, [g.raw], raw);
  cmp.tops(`${tag} raw`, [g.raw], raw);
  const n = kept.y.length;
  const yLayout = { offsetElems: 0, rowStrideElems: n, rowLength: n, rows: 1, validVocab: n };
  const ps = softmaxStatsCpu(kept.y, yLayout)[0]!;
  for (const key of ['max', 'lse', 'entropy'] as const) cmp.float(`${tag} processed ${key}`, g.processed[key], ps[key]);
  const pt = topKCpu(kept.y, yLayout, cpu.k)[0]!;
  cmp.tops(`${tag} processed`, [g.processed], [{ topIds: pt.topIds, topLogits: pt.topLogits.map((z) => z + cpu.offset) }]);
}

/** Runs one case: the fused row, argmax, random and boundary uniforms, optionally the residual. */
export async function fusionParity(c: FusionCase): Promise<FusionResult> {
  const t0 = performance.now();
  const device = await gpuDevice();
  errors.length = 0;
  const cmp = new Comparator();
  const rand = mulberry32(c.seed * 7919 + 1);
  const e = upload(device, c, c.seed, c.validVocab, c.dtype);
  const a = c.contrast ? upload(device, c, c.seed + 5000, c.contrast.amateurValidVocab ?? c.validVocab, c.contrast.amateurDtype ?? c.dtype) : null;
  const spec = specOf(c, e.cpu.validVocab, rand);
  const k = c.k ?? 10;
  const warp = c.temperature ? (c.warp ?? { topK: 0, topP: 1, minP: 0 }) : null;
  const fused = logitFusionCpu(e.cpu, spec, a?.cpu);
  await checkFusedRow(device, c, e.gpu, a?.gpu ?? null, spec, fused.y, cmp);
  const kept = keepCpu(fused.y, warp);
  const engine = engineFor(device, c.workgroupSize);
  const tokenIds = [kept.argmax, Math.floor(rand() * e.cpu.validVocab), e.cpu.validVocab - 1];
  const uniforms: (number | null)[] = [null];
  if (warp) {
    for (let i = 0; i < (c.uniforms ?? 4); i++) uniforms.push(rand());
    uniforms.push(...boundaryUniforms((i) => keptWeight(kept, i), kept.y.length, kept.mass, c.boundaries ?? 3, rand));
  }
  let bytesRead = 0;
  let keptGpu: SampleRowResult['distribution'] = null;
  let keptCpu = kept;
  for (const [i, u] of uniforms.entries()) {
    const g = await engine.read({ expert: e.gpu, amateur: a?.gpu ?? null, fusion: spec, warp: u === null ? null : warp, uniform: u, k, tokenIds, keep: i === uniforms.length - 1 });
    const cpuKept = u === null ? keepCpu(fused.y, null) : kept;
    keptCpu = cpuKept;
    const id = u === null ? cpuKept.argmax : drawCpu(kept, u);
    compareRow(`u=${u}`, g, { expert: e.cpu, kept: cpuKept, id, offset: fused.offset, k, tokenIds }, cmp);
    bytesRead = g.bytesRead;
    if (g.distribution) keptGpu = g.distribution;
  }
  if (keptGpu) {
    const got = new Float32Array((await readWords(device, keptGpu.buffer, keptCpu.y.length)).buffer);
    const diff = keptCpu.y.findIndex((v, i) => got[i] !== v);
    if (diff >= 0) cmp.fail(`kept y[${diff}]: gpu ${got[diff]} vs cpu ${keptCpu.y[diff]}`);
    if (c.residual) await checkResidual(c, device, engine, { e, spec, warp, kept, keptGpu, rand }, cmp);
    keptGpu.buffer.destroy();
  }
  [e.gpu.buffer, a?.gpu.buffer].forEach((b) => b?.destroy());
  errors.forEach((m) => cmp.fail(`uncaptured WebGPU error: ${m}`));
  const finite = fused.y.reduce((n, v) => (v === -Infinity ? n : n + 1), 0);
  return { ok: cmp.mismatches.length === 0, mismatches: cmp.mismatches, draws: uniforms.length, keptCount: kept.kept, finite, bytesRead, ms: performance.now() - t0 };
}

interface ResidualCtx {
  e: ReturnType<typeof upload>;
  spec: FusionSpec;
  warp: WarpSpec | null;
  kept: KeptRow;
  keptGpu: NonNullable<SampleRowResult['distribution']>;
  rand: () => number;
}

/** Residual draws of p (this case's kept row) against q (a second row, same chain) on both paths. */
async function checkResidual(c: FusionCase, device: GPUDevice, engine: SampleRow, x: ResidualCtx, cmp: Comparator) {
  const qRow = upload(device, c, c.seed + 9000, c.residualValidVocab ?? c.validVocab, c.dtype);
  const spec = { ...x.spec, contrast: null };
  const qKept = keepCpu(logitFusionCpu(qRow.cpu, spec).y, x.warp);
  const qg = await engine.read({ expert: qRow.gpu, amateur: null, fusion: spec, warp: x.warp, uniform: 0.5, k: 1, tokenIds: [], keep: true });
  const q = qg.distribution!;
  const { a, b } = residualCoefficients(x.kept.mass, qKept.mass);
  const n = Math.max(x.kept.y.length, qKept.y.length);
  let total = 0;
  for (let i = 0; i < n; i++) total += residualWeight(keptWeight(x.kept, i), keptWeight(qKept, i), a, b);
  const rw = (i: number) => residualWeight(keptWeight(x.kept, i), keptWeight(qKept, i), a, b);
  const us = [...Array.from({ length: c.uniforms ?? 4 }, () => x.rand()), ...(total > 0 ? boundaryUniforms(rw, n, total, c.boundaries ?? 3, x.rand) : [])];
  for (const u of us) {
    const g = await engine.residual(x.keptGpu, q, u);
    const w = residualCpu(x.kept, qKept, u);
    if (g.id !== w.id || g.weight !== w.weight || g.total !== w.total || g.fallback !== w.fallback || g.residualWeight !== w.residualWeight) {
      cmp.fail(`residual u=${u}: gpu ${JSON.stringify(g)} vs cpu ${JSON.stringify(w)}`);
    }
  }
  q.buffer.destroy();
  qRow.gpu.buffer.destroy();
}

/** Both paths on rows that cannot be processed: each entry is [gpu error, cpu error] (null = no error). */
export async function fusionErrors(): Promise<[string | null, string | null][]> {
  const device = await gpuDevice();
  const spec: FusionSpec = { historyIds: [], processors: { temperature: 1 }, contrast: null, sparseIds: [], sparseValues: [] };
  const out: [string | null, string | null][] = [];
  for (const values of [[1, NaN, 2], [-Infinity, -Infinity, -Infinity], [1, Infinity, 0]]) {
    const data = Float32Array.from(values);
    const buffer = device.createBuffer({ label: 'fusionHarness.bad', size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, data);
    const expert: LogitRowsGpu = { buffer, dtype: 'f32', offsetElems: 0, rowStrideElems: 3, rowLength: 3, rows: 1, validVocab: 3 };
    const g = await engineFor(device).read({ expert, amateur: null, fusion: spec, warp: { topK: 0, topP: 0.9, minP: 0 }, uniform: 0.5, k: 2, tokenIds: [], keep: false }).then(() => null, (e: unknown) => String(e));
    let c: string | null = null;
    try {
      keepCpu(logitFusionCpu({ data, validVocab: 3 }, spec).y, null);
    } catch (e) {
      c = String(e);
    }
    out.push([g, c]);
    buffer.destroy();
  }
  return out;
}

/** WGSL compiler messages of the fusion and sampler modules (empty when both compile cleanly). */
export async function shaderMessages(): Promise<string[]> {
  const device = await gpuDevice();
  const out: string[] = [];
  for (const [name, body, exp] of [['logitFusion', LOGIT_FUSION_WGSL, false], ['sample', SAMPLE_WGSL, true]] as const) {
    const info = await device.createShaderModule({ label: `fusionHarness.${name}`, code: sampleModuleSource(body, exp) }).getCompilationInfo();
    info.messages.forEach((m) => out.push(`${name}:${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`));
  }
  return out;
}

declare global {
  interface Window {
    fusionHarness?: { parity: typeof fusionParity; batchParity: typeof fusionBatchParity; shaderMessages: typeof shaderMessages; errors: typeof fusionErrors };
  }
}

/** Exposes the fusion harness on `window.fusionHarness`. */
export function registerFusionHarness(): void {
  window.fusionHarness = { parity: fusionParity, batchParity: fusionBatchParity, shaderMessages, errors: fusionErrors };
}
