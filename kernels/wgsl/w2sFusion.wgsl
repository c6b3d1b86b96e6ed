// w2sFusion: weak-to-strong logit fusion of three rows of one position (docs/algorithms.md#w2s):
// L (large base, binding 0 through logitLoad.wgsl), S (small base) and E (small expert). Over the
// common support (entries < valid finite in all three), with d = e - s:
//   job j < jobs:   z = f = l + alphas[j] * d, weight f - l
//   job jobs:       z = e,                 weight d
//   job jobs + 1:   z = s,                 weight 0
// `partials` (grid chunks x (jobs + 2)) folds WG * ITEMS entries per workgroup into an online
// partial (m, s = sum e^(z-m), t = sum e^(z-m) w); `finish` (grid jobs + 2) merges a job's partials
// and writes [m, s, t, count, bad]; `fuse` (grid ceil(width / WG)) writes the fused row
// l + alpha * d (f32) on the support and -inf elsewhere. The host computes the KLs from the records
// (kernels/reference/w2sFusion.ts w2sKls). Prepended by the host: logitLoad.wgsl.

override WG: u32 = 64u;
const ITEMS: u32 = 16u;
const RECORD_WORDS: u32 = 5u;

struct Params {
  baseL: u32,  // window-relative element index of entry 0 of each row
  baseS: u32,
  baseE: u32,
  valid: u32,  // entries >= valid are masked
  chunks: u32, // phase-1 workgroups per job
  f16L: u32,
  f16S: u32,
  f16E: u32,
  jobs: u32,   // grid alphas; two more jobs follow (expert, small)
  width: u32,  // fused row length
  alpha: f32,  // the fused row's alpha
  pad0: u32,
}

struct W2sAcc {
  m: f32,
  s: f32,
  t: f32,
  count: u32,
  bad: u32,
}

@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read> rowS: array<u32>;
@group(0) @binding(3) var<storage, read> rowE: array<u32>;
@group(0) @binding(4) var<storage, read> alphas: array<f32>;
@group(0) @binding(5) var<storage, read_write> partialAcc: array<W2sAcc>;
@group(0) @binding(6) var<storage, read_write> records: array<u32>;
@group(0) @binding(7) var<storage, read_write> fused: array<u32>;

var<workgroup> wm: array<f32, WG>;
var<workgroup> ws: array<f32, WG>;
var<workgroup> wt: array<f32, WG>;
var<workgroup> wc: array<u32, WG>;
var<workgroup> wb: array<u32, WG>;

fn loadSBits(e: u32, isF16: bool) -> u32 {
  if (!isF16) {
    return rowS[e];
  }
  return f16ToF32Bits((rowS[e >> 1u] >> ((e & 1u) * 16u)) & 0xffffu);
}

fn loadEBits(e: u32, isF16: bool) -> u32 {
  if (!isF16) {
    return rowE[e];
  }
  return f16ToF32Bits((rowE[e >> 1u] >> ((e & 1u) * 16u)) & 0xffffu);
}

fn accAdd(a: W2sAcc, z: f32, w: f32) -> W2sAcc {
  if (a.count == 0u) {
    return W2sAcc(z, 1.0, w, 1u, a.bad);
  }
  if (z <= a.m) {
    let e = exp(z - a.m);
    return W2sAcc(a.m, a.s + e, a.t + e * w, a.count + 1u, a.bad);
  }
  let r = exp(a.m - z);
  return W2sAcc(z, a.s * r + 1.0, a.t * r + w, a.count + 1u, a.bad);
}

fn accMerge(a: W2sAcc, b: W2sAcc) -> W2sAcc {
  let bad = a.bad + b.bad;
  if (b.count == 0u) {
    return W2sAcc(a.m, a.s, a.t, a.count, bad);
  }
  if (a.count == 0u) {
    return W2sAcc(b.m, b.s, b.t, b.count, bad);
  }
  let m = max(a.m, b.m);
  let ea = exp(a.m - m);
  let eb = exp(b.m - m);
  return W2sAcc(m, ea * a.s + eb * b.s, ea * a.t + eb * b.t, a.count + b.count, bad);
}

fn storeShared(i: u32, a: W2sAcc) {
  wm[i] = a.m;
  ws[i] = a.s;
  wt[i] = a.t;
  wc[i] = a.count;
  wb[i] = a.bad;
}

fn loadShared(i: u32) -> W2sAcc {
  return W2sAcc(wm[i], ws[i], wt[i], wc[i], wb[i]);
}

fn reduceWorkgroup(lid: u32, a: W2sAcc) -> W2sAcc {
  storeShared(lid, a);
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      storeShared(lid, accMerge(loadShared(lid), loadShared(lid + half)));
    }
    workgroupBarrier();
  }
  return loadShared(0u);
}

@compute @workgroup_size(WG)
fn partials(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let chunk = wg.x;
  let job = wg.y;
  let start = chunk * WG * ITEMS;
  var acc = W2sAcc(0.0, 0.0, 0.0, 0u, 0u);
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    if (i < params.valid) {
      let bl = loadLogitBits(params.baseL + i, params.f16L != 0u);
      let bs = loadSBits(params.baseS + i, params.f16S != 0u);
      let be = loadEBits(params.baseE + i, params.f16E != 0u);
      if (isBadBits(bl) || isBadBits(bs) || isBadBits(be)) {
        acc.bad += 1u;
      } else if (isFiniteBits(bl) && isFiniteBits(bs) && isFiniteBits(be)) {
        let l = bitcast<f32>(bl);
        let s = bitcast<f32>(bs);
        let e = bitcast<f32>(be);
        let d = e - s;
        if (job < params.jobs) {
          let f = l + alphas[job] * d;
          acc = accAdd(acc, f, f - l);
        } else if (job == params.jobs) {
          acc = accAdd(acc, e, d);
        } else {
          acc = accAdd(acc, s, 0.0);
        }
      }
    }
  }
  let total = reduceWorkgroup(lid, acc);
  if (lid == 0u) {
    partialAcc[job * params.chunks + chunk] = total;
  }
}

@compute @workgroup_size(WG)
fn finish(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let job = wg.x;
  var acc = W2sAcc(0.0, 0.0, 0.0, 0u, 0u);
  for (var c = lid; c < params.chunks; c += WG) {
    acc = accMerge(acc, partialAcc[job * params.chunks + c]);
  }
  let total = reduceWorkgroup(lid, acc);
  if (lid == 0u) {
    let o = job * RECORD_WORDS;
    records[o] = bitcast<u32>(total.m);
    records[o + 1u] = bitcast<u32>(total.s);
    records[o + 2u] = bitcast<u32>(total.t);
    records[o + 3u] = total.count;
    records[o + 4u] = total.bad;
  }
}

@compute @workgroup_size(WG)
fn fuse(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.width) {
    return;
  }
  var out = F32_NEG_INF;
  if (i < params.valid) {
    let bl = loadLogitBits(params.baseL + i, params.f16L != 0u);
    let bs = loadSBits(params.baseS + i, params.f16S != 0u);
    let be = loadEBits(params.baseE + i, params.f16E != 0u);
    if (isFiniteBits(bl) && isFiniteBits(bs) && isFiniteBits(be)) {
      let d = bitcast<f32>(be) - bitcast<f32>(bs);
      out = bitcast<u32>(bitcast<f32>(bl) + params.alpha * d);
    }
  }
  fused[i] = out;
}
