import { KernelArgumentError, NonFiniteRowError } from '../errors';
import { MAX_ROW_LENGTH } from '../limits';
import { applyPhase, outputShift, planProcessors, validateProcessors, type ProcessorPlan } from '../processors/plan';
import type { FusionSpec } from '../types';
import { requireInteger } from '../validate';

/** One logit row on the CPU: `data[i]` for i < validVocab are the entries, the rest are masked. */
export interface CpuRow {
  data: Float32Array;
  validVocab: number;
}

/** The fused row and the statistics the contrast needed. */
export interface FusionCpuResult {
  /** Processed logits, length = expert validVocab (-inf = masked), f32-exact twins of the GPU's. */
  y: Float32Array;
  /**
   * Added to every finite y to get the reported logit: (lse_A(τ_A) − lse_E) through the output
   * processors (· f32(1/T)) for the logprob contrast (the decisions never need it: softmax, argmax and the warpers are shift-invariant), else 0.
   */
  offset: number;
}

/** The f32 constants the contrast term uses (one source for the CPU reference and the GPU uniforms). */
export interface FusionConstants {
  onePlusBeta: number;
  beta: number;
  invAmateurT: number;
  logAlpha: number;
}

/** Checks a FusionSpec; errors name the field and value. */
export function validateFusionSpec(spec: FusionSpec): void {
  const positive = (name: string, v: unknown) => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new KernelArgumentError(name, v, 'a finite number > 0');
  };
  validateProcessors(spec.processors);
  if (!Array.isArray(spec.historyIds)) throw new KernelArgumentError('historyIds', spec.historyIds, 'an array of token ids');
  spec.historyIds.forEach((id, i) => requireInteger(`historyIds[${i}]`, id, 0, MAX_ROW_LENGTH - 1));
  if (!Array.isArray(spec.sparseIds) || !Array.isArray(spec.sparseValues) || spec.sparseIds.length !== spec.sparseValues.length) {
    throw new KernelArgumentError('sparseValues', spec.sparseValues, `an array with one value per sparse id (${String(spec.sparseIds?.length)})`);
  }
  const seen = new Set<number>();
  spec.sparseIds.forEach((id, i) => {
    requireInteger(`sparseIds[${i}]`, id, 0, MAX_ROW_LENGTH - 1);
    if (seen.has(id)) throw new KernelArgumentError(`sparseIds[${i}]`, id, 'distinct from the other sparse ids');
    seen.add(id);
    const v = spec.sparseValues[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new KernelArgumentError(`sparseValues[${i}]`, v, 'a finite number');
  });
  if (spec.allowMask !== undefined && spec.allowMask !== null) {
    const m = spec.allowMask;
    if (typeof m.length !== 'number') throw new KernelArgumentError('allowMask', m, 'an array of u32 words or null');
    for (let w = 0; w < m.length; w++) requireInteger(`allowMask[${w}]`, m[w], 0, 0xffffffff);
  }
  const c = spec.contrast;
  if (c === null) return;
  if (c.form !== 'logit' && c.form !== 'logprob') throw new KernelArgumentError('contrast.form', c.form, '"logit" or "logprob"');
  if (typeof c.beta !== 'number' || !(c.beta >= 0) || !Number.isFinite(c.beta)) throw new KernelArgumentError('contrast.beta', c.beta, 'a finite number ≥ 0');
  if (typeof c.alpha !== 'number' || !(c.alpha > 0 && c.alpha <= 1)) throw new KernelArgumentError('contrast.alpha', c.alpha, 'in (0, 1]');
  positive('contrast.amateurTemperature', c.amateurTemperature);
}

/** The f32 multipliers of a spec's contrast. */
export function fusionConstants(spec: FusionSpec): FusionConstants {
  const c = spec.contrast;
  return {
    onePlusBeta: Math.fround(1 + (c?.beta ?? 0)),
    beta: Math.fround(c?.beta ?? 0),
    invAmateurT: Math.fround(1 / (c?.amateurTemperature ?? 1)),
    logAlpha: Math.fround(Math.log(c?.alpha ?? 1)),
  };
}

function checkRow(row: CpuRow, name: string): void {
  requireInteger(`${name}.validVocab`, row.validVocab, 1, Math.min(row.data.length, MAX_ROW_LENGTH));
  let bad = 0;
  for (let i = 0; i < row.validVocab; i++) {
    const z = row.data[i]!;
    if (!Number.isFinite(z) && z !== -Infinity) bad++;
  }
  if (bad > 0) throw new NonFiniteRowError(0, 'nan-or-inf', `${bad} such entries in the ${name} row`);
}

/** Input-processed row (f32) and its max / log-sum-exp after scaling by `scale` (f64 statistics). */
function inputStats(row: CpuRow, plan: ProcessorPlan, seen: Set<number>, scale: number) {
  let max = -Infinity;
  const vals = new Float64Array(row.validVocab);
  for (let i = 0; i < row.validVocab; i++) {
    const z = row.data[i]!;
    const v = z === -Infinity ? z : Math.fround(applyPhase(plan, 'input', z, seen.has(i)) * scale);
    vals[i] = v;
    if (v > max) max = v;
  }
  let s = 0;
  for (const v of vals) if (v !== -Infinity) s += Math.exp(v - max);
  return { max, lse: max + Math.log(s) };
}

/**
 * CPU reference of logitFusion over one row: mask → input processors (expert and amateur) →
 * contrast → sparse → output processors (entries whose allow-bitmask bit is clear: −inf first), every step rounded to f32 exactly as the kernel does. Throws
 * NonFiniteRowError for NaN / +inf inputs, a result without finite entries, or an overflow to +inf.
 */
export function logitFusionCpu(expert: CpuRow, spec: FusionSpec, amateur?: CpuRow): FusionCpuResult {
  validateFusionSpec(spec);
  checkRow(expert, 'expert');
  if (spec.contrast && !amateur) throw new KernelArgumentError('amateur', amateur, 'a row when contrast is set');
  if (amateur) checkRow(amateur, 'amateur');
  const k = fusionConstants(spec);
  const plan = planProcessors(spec.processors);
  const seen = new Set(plan.history ? spec.historyIds : []);
  const sparse = new Map(spec.sparseIds.map((id, i) => [id, Math.fround(spec.sparseValues[i]!)]));
  const n = expert.validVocab;
  const mask = spec.allowMask ?? null;
  if (mask && mask.length < Math.ceil(n / 32)) throw new KernelArgumentError('allowMask', mask.length, `at least ${Math.ceil(n / 32)} words (validVocab ${n})`);
  const y = new Float32Array(n);
  const c = spec.contrast;
  const statsE = c ? inputStats(expert, plan, seen, 1) : null;
  const statsA = c?.form === 'logprob' && amateur ? inputStats(amateur, plan, seen, k.invAmateurT) : null;
  for (let i = 0; i < n; i++) {
    y[i] = mask && ((mask[i >>> 5]! >>> (i & 31)) & 1) === 0 ? -Infinity : fuseOne(i, expert, amateur, plan, seen.has(i), sparse, k, spec, statsE?.max ?? 0);
  }
  checkFused(y);
  const offset = c?.form === 'logprob' && statsE && statsA ? outputShift(plan, statsA.lse - statsE.lse) : 0;
  return { y, offset };
}

function fuseOne(i: number, expert: CpuRow, amateur: CpuRow | undefined, plan: ProcessorPlan, seen: boolean, sparse: Map<number, number>, k: FusionConstants, spec: FusionSpec, maxE: number): number {
  const zE = expert.data[i]!;
  if (zE === -Infinity) return zE;
  let s = applyPhase(plan, 'input', zE, seen);
  const c = spec.contrast;
  if (c) {
    const zA = amateur && i < amateur.validVocab ? amateur.data[i]! : -Infinity;
    if (zA === -Infinity || Math.fround(s - maxE) < k.logAlpha) return -Infinity;
    const zAp = applyPhase(plan, 'input', zA, seen);
    s = c.form === 'logit'
      ? Math.fround(Math.fround(k.onePlusBeta * s) - Math.fround(k.beta * zAp))
      : Math.fround(s - Math.fround(zAp * k.invAmateurT));
  }
  const v = sparse.get(i);
  if (v !== undefined) s = Math.fround(s + v);
  return applyPhase(plan, 'output', s, seen);
}

function checkFused(y: Float32Array): void {
  let finite = 0;
  let bad = 0;
  for (const v of y) {
    if (Number.isFinite(v)) finite++;
    else if (v !== -Infinity) bad++;
  }
  if (bad > 0) throw new NonFiniteRowError(0, 'nan-or-inf', `${bad} fused entries overflowed`);
  if (finite === 0) throw new NonFiniteRowError(0, 'no-finite', 'every fused entry is -inf');
}
