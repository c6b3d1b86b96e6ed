/**
 * CPU twin of sampleStage.wgsl: the warper stages of kernels/warpers/index.ts over a row's keep
 * mask, in the list's order (docs/algorithms.md#processor-chain), on the exact integer weights of
 * sampleExp.ts so that the GPU keeps the same set.
 */
import { KernelArgumentError } from '../errors';
import type { WarpSpec } from '../types';
import { WARPERS } from '../warpers';
import { warperValue, type MassWarper, type PrefixWarper } from '../warpers/warper';
import { expExponent } from './sampleExp';
import { massThreshold, topPTarget } from './sampleMath';

/** Checks every warper's value in a WarpSpec; errors name the parameter and value. */
export function validateWarp(warp: WarpSpec): void {
  for (const w of WARPERS) {
    const v = warperValue(warp, w);
    if (typeof v !== 'number' || !w.valid(v)) throw new KernelArgumentError(w.param.name, v, w.range);
  }
}

/** A row under the stages: its f32 values, max, integer weights and keep mask (1 = kept, updated in place). */
export interface StageRow {
  y: Float32Array;
  ymax: number;
  w: Float64Array;
  keep: Uint8Array;
}

function keptIds(row: StageRow): number[] {
  const ids: number[] = [];
  for (let i = 0; i < row.keep.length; i++) if (row.keep[i]) ids.push(i);
  return ids;
}

/** Rank stage: keep y ≥ the k-th largest kept value (ties kept); k ≥ the kept count keeps all. */
function rankStage(row: StageRow, k: number): void {
  const ids = keptIds(row);
  if (k >= ids.length) return;
  const threshold = ids.map((i) => row.y[i]!).sort((a, b) => b - a)[k - 1]!;
  for (const i of ids) if (!(row.y[i]! >= threshold)) row.keep[i] = 0;
}

/**
 * The entropy statistic of the kept entries: h = floor(Σ w'·t' / Σ w') with w' = w >> 8 and t' the
 * exponent in 2^-16 units (`t`); null when Σ w' = 0.
 */
export function entropyStat(ids: readonly number[], w: ArrayLike<number>, t: ArrayLike<number>): number | null {
  let sw = 0;
  let swt = 0n;
  let part = 0;
  ids.forEach((i, j) => {
    const wi = Math.floor(w[i]! / 256);
    sw += wi;
    part += wi * t[i]!;
    if (j % 128 === 127) {
      swt += BigInt(part);
      part = 0;
    }
  });
  if (sw === 0) return null;
  return Number((swt + BigInt(part)) / BigInt(sw));
}

/** The exponents t′ = t >> 8 (2^-16 units) of the kept entries (0 elsewhere). */
function exponents(row: StageRow, ids: readonly number[]): Float64Array {
  const t = new Float64Array(row.y.length);
  for (const i of ids) t[i] = Math.floor(expExponent(Math.fround(row.y[i]! - row.ymax)) / 256);
  return t;
}

/** Prefix stage: order by (key asc, id asc); keep while the preceding mass is below the target. */
function prefixStage(row: StageRow, warper: PrefixWarper, arg: number): void {
  const ids = keptIds(row);
  const t = exponents(row, ids);
  let h = 0;
  if (warper.usesEntropy) {
    const stat = entropyStat(ids, row.w, t);
    if (stat === null) return;
    h = stat;
  }
  const key = new Float64Array(row.y.length);
  let mass = 0;
  for (const i of ids) {
    key[i] = warper.keyCpu(row.w[i]!, t[i]!, h);
    mass += row.w[i]!;
  }
  ids.sort((a, b) => key[a]! - key[b]! || a - b);
  const target = topPTarget(mass, arg);
  let before = 0;
  for (const i of ids) {
    if (before >= target) row.keep[i] = 0;
    before += row.w[i]!;
  }
}

/**
 * Mass-threshold stage: keep w ≥ ⌈W · arg / 2^32⌉ (W the kept mass), or t′ ≤ h + margin when the
 * warper has a margin (h the entropy statistic; Σ w′ = 0 keeps all), and every entry at the largest
 * kept logit.
 */
function massStage(row: StageRow, warper: MassWarper, v: number, arg: number): void {
  const ids = keptIds(row);
  let mass = 0;
  let top = -Infinity;
  for (const i of ids) {
    mass += row.w[i]!;
    if (row.y[i]! > top) top = row.y[i]!;
  }
  const threshold = massThreshold(mass, arg);
  let t: Float64Array | null = null;
  let limit = -1;
  if (warper.margin) {
    t = exponents(row, ids);
    const h = entropyStat(ids, row.w, t);
    if (h === null) return;
    limit = h + warper.margin(v);
  }
  for (const i of ids) {
    if (row.y[i]! >= top || row.w[i]! >= threshold || (t !== null && t[i]! <= limit)) continue;
    row.keep[i] = 0;
  }
}

/** Applies every warper that is on, in the list's order, to `row.keep`. */
export function applyWarpers(row: StageRow, warp: WarpSpec): void {
  for (const w of WARPERS) {
    const v = warperValue(warp, w);
    if (v === w.param.default) continue;
    const arg = w.pack(v);
    if (w.kind === 'rank') rankStage(row, arg);
    else if (w.kind === 'prefix') prefixStage(row, w, arg);
    else if (w.kind === 'mass') massStage(row, w, v, arg);
    else for (let i = 0; i < row.keep.length; i++) if (row.keep[i] && row.w[i]! < arg) row.keep[i] = 0;
  }
}
