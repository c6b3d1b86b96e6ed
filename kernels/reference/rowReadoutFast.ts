import { MAX_K, NO_TOKEN } from '../limits';
import type { LogitRowsLayout, RowReadoutOptions, RowReadoutResult, RowReadoutRow } from '../types';
import { normalizeTokenIds, requireExtent, validateK, validateLayout } from '../validate';
import { finiteMax, rowSpan } from './rowScan';

/*
 * Fast exp for the softmax sums: e^d for d in (-708, 0] as 2^(m/128) · e^r with
 * m = round(d · 128/ln 2), r = d − m · ln2/128, |r| ≤ ln2/256 ≈ 0.0027 (plus rounding slack);
 * 2^(m/128) = 2^(m>>7) · 2^((m&127)/128) from two small tables, e^r by the cubic Taylor polynomial.
 * Relative error per term: truncation r⁴/24 ≤ 2.3e-12, reduction (m · ln2/128 rounded once)
 * ≤ |d| · 2^-53 ≤ 8e-14, table and Horner rounding ~1e-15: below 2.5e-12 in all. Every term of
 * s = Σ e^d and t = Σ e^d·d has the same sign, so s and t inherit that relative bound, log s is
 * within 2.5e-12 absolute and the entropy within ~7.5e-12 · (1 + H). Terms with d ≤ −708
 * (e^d < 3.4e-308, far below one ulp of s ≥ 1) and masked −inf entries are skipped.
 */
const EXP_TABLE_BITS = 7;
const EXP_TABLE_SIZE = 1 << EXP_TABLE_BITS;
const EXP_CUTOFF = -708;
/** 2^(j/128), j in [0, 128). */
const EXP_FRAC = new Float64Array(EXP_TABLE_SIZE);
/** 2^(n − POW2_BIAS) for n in [0, POW2_BIAS]; d > −708 keeps m >> 7 ≥ −1022 (normal numbers). */
const POW2_BIAS = 1023;
const EXP_POW2 = new Float64Array(POW2_BIAS + 1);
for (let j = 0; j < EXP_TABLE_SIZE; j++) EXP_FRAC[j] = Math.pow(2, j / EXP_TABLE_SIZE);
for (let n = 0; n <= POW2_BIAS; n++) EXP_POW2[n] = Math.pow(2, n - POW2_BIAS);
const INV_STEP = EXP_TABLE_SIZE / Math.LN2;
const STEP = Math.LN2 / EXP_TABLE_SIZE;

/** Top-k insertion buffer shared by every call (one row at a time, synchronous). */
const topVals = new Float64Array(MAX_K);
const topIdx = new Int32Array(MAX_K);

/**
 * Fast CPU readout for the WASM backend: same signature, validation, errors and results as
 * readRowsCpu (the GPU oracle) — top-k, max and token logits identical, lse / entropy / tokenProb
 * within ~1e-11 (see the fast-exp bound above). Two passes per row over the typed array: (1) top-k
 * with a threshold test (most entries cost one comparison; the max is the top entry; NaN / +inf
 * are noticed there), (2) the shifted sums with the fast exp. Bad rows are re-scanned by finiteMax
 * so the error (kind, count, row) is exactly the reference's.
 */
export function readRowsFast(data: Float32Array, src: LogitRowsLayout, opts: RowReadoutOptions): RowReadoutResult {
  validateLayout(src);
  const k = validateK(opts.k);
  const ids = normalizeTokenIds(opts.tokenIds, src);
  requireExtent(src, data.length);
  const rows: RowReadoutRow[] = [];
  for (let r = 0; r < src.rows; r++) rows.push(readRow(data, src, r, k, ids[r]!));
  return { rows, bytesRead: src.rows * src.validVocab * Float32Array.BYTES_PER_ELEMENT };
}

function readRow(data: Float32Array, layout: LogitRowsLayout, row: number, k: number, tokenId: number): RowReadoutRow {
  const start = layout.offsetElems + row * layout.rowStrideElems;
  const count = layout.validVocab;
  const end = start + count;
  const vals = topVals;
  const idx = topIdx;

  // Pass 1: top-k (ids ascending, strict > so an equal logit never displaces a lower id).
  let n = 0;
  let thr = -Infinity;
  let nan = false;
  for (let i = start; i < end; i++) {
    const z = data[i]!;
    if (z <= thr) continue; // masked -inf, or below the current k-th logit
    if (z !== z) {
      nan = true;
      continue;
    }
    let pos = n < k ? n : k - 1;
    while (pos > 0 && z > vals[pos - 1]!) {
      vals[pos] = vals[pos - 1]!;
      idx[pos] = idx[pos - 1]!;
      pos--;
    }
    vals[pos] = z;
    idx[pos] = i - start;
    if (n < k) n++;
    if (n === k) thr = vals[k - 1]!;
  }
  if (nan || n === 0 || vals[0] === Infinity) {
    finiteMax(data, rowSpan(layout, row), row); // throws the reference's NonFiniteRowError
    throw new Error(`readRowsFast: row ${row} scan disagrees with finiteMax`);
  }
  const max = vals[0]!;

  // Pass 2: s = Σ e^(z−max), t = Σ e^(z−max)(z−max); H = log s − t/s.
  let s = 0;
  let t = 0;
  const frac = EXP_FRAC;
  const pow2 = EXP_POW2;
  for (let i = start; i < end; i++) {
    const d = data[i]! - max;
    if (d > EXP_CUTOFF) {
      const m = (d * INV_STEP - 0.5) | 0; // nearest integer (d ≤ 0; truncation towards zero)
      const x = d - m * STEP;
      const e = pow2[(m >> EXP_TABLE_BITS) + POW2_BIAS]! * frac[m & (EXP_TABLE_SIZE - 1)]! * (1 + x * (1 + x * (0.5 + x * (1 / 6))));
      s += e;
      t += e * d;
    }
  }
  const logS = Math.log(s);
  const lse = max + logS;
  const entropy = Math.max(0, logS - t / s);

  const topIds: number[] = [];
  const topLogits: number[] = [];
  for (let j = 0; j < n; j++) {
    topIds.push(idx[j]!);
    topLogits.push(vals[j]!);
  }
  if (tokenId === NO_TOKEN) return { max, lse, entropy, tokenLogit: null, tokenProb: null, topIds, topLogits };
  const z = tokenId < count ? data[start + tokenId]! : -Infinity;
  const tokenProb = z === -Infinity ? 0 : Math.exp(z - lse);
  return { max, lse, entropy, tokenLogit: z, tokenProb, topIds, topLogits };
}
