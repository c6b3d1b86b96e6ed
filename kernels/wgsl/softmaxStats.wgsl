// softmaxStats: per row max, log-sum-exp, entropy (nats) over finite logits, plus one token's logit
// and probability. Two phases: `partials` (grid chunks x rows) folds WG * ITEMS logits per workgroup
// into an online-softmax partial; `finish` (grid rows) merges a row's partials and writes its record.
// Prepended by the host: logitLoad.wgsl (binding 0, the logits).

override WG: u32 = 64u;
const ITEMS: u32 = 16u;
const NO_TOKEN: u32 = 0xffffffffu;
const RECORD_WORDS: u32 = 8u;

struct Params {
  base: u32,       // window-relative element index of row 0, entry 0
  rowStride: u32,  // elements between rows
  validVocab: u32, // entries >= validVocab are masked
  chunks: u32,     // phase-1 workgroups per row
  isF16: u32,
  outOffset: u32,  // first word of this op's records in `records`
  pad0: u32,
  pad1: u32,
}

// Online-softmax partial relative to its own max m: s = Σ e^(z−m), t = Σ e^(z−m)(z−m).
// count = finite entries folded in (0 = empty, m/s/t unused); bad = NaN / +inf entries seen.
struct Acc {
  m: f32,
  s: f32,
  t: f32,
  count: u32,
  bad: u32,
}

@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read_write> partialAcc: array<Acc>;
@group(0) @binding(3) var<storage, read> tokenIds: array<u32>;
@group(0) @binding(4) var<storage, read_write> records: array<u32>;

var<workgroup> wm: array<f32, WG>;
var<workgroup> ws: array<f32, WG>;
var<workgroup> wt: array<f32, WG>;
var<workgroup> wc: array<u32, WG>;
var<workgroup> wb: array<u32, WG>;

fn accAdd(a: Acc, z: f32) -> Acc {
  if (a.count == 0u) {
    return Acc(z, 1.0, 0.0, 1u, a.bad);
  }
  if (z <= a.m) {
    let d = z - a.m;
    let e = exp(d);
    return Acc(a.m, a.s + e, a.t + e * d, a.count + 1u, a.bad);
  }
  // New max: rescale the old sums to it; the new entry adds e^0 = 1 to s and 0 to t.
  let d = a.m - z;
  let e = exp(d);
  return Acc(z, a.s * e + 1.0, (a.t + d * a.s) * e, a.count + 1u, a.bad);
}

fn accMerge(a: Acc, b: Acc) -> Acc {
  let bad = a.bad + b.bad;
  if (b.count == 0u) {
    return Acc(a.m, a.s, a.t, a.count, bad);
  }
  if (a.count == 0u) {
    return Acc(b.m, b.s, b.t, b.count, bad);
  }
  let m = max(a.m, b.m);
  let da = a.m - m;
  let db = b.m - m;
  let ea = exp(da);
  let eb = exp(db);
  let s = ea * a.s + eb * b.s;
  let t = ea * (a.t + da * a.s) + eb * (b.t + db * b.s);
  return Acc(m, s, t, a.count + b.count, bad);
}

fn storeShared(i: u32, a: Acc) {
  wm[i] = a.m;
  ws[i] = a.s;
  wt[i] = a.t;
  wc[i] = a.count;
  wb[i] = a.bad;
}

fn loadShared(i: u32) -> Acc {
  return Acc(wm[i], ws[i], wt[i], wc[i], wb[i]);
}

// Tree merge of one Acc per invocation; every invocation gets the workgroup total.
fn reduceWorkgroup(lid: u32, a: Acc) -> Acc {
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
  let row = wg.y;
  let isF16 = params.isF16 != 0u;
  let rowBase = params.base + row * params.rowStride;
  let start = chunk * WG * ITEMS;
  var acc = Acc(0.0, 0.0, 0.0, 0u, 0u);
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    if (i < params.validVocab) {
      let b = loadLogitBits(rowBase + i, isF16);
      if (isFiniteBits(b)) {
        acc = accAdd(acc, bitcast<f32>(b));
      } else if (isBadBits(b)) {
        acc.bad += 1u;
      }
    }
  }
  let total = reduceWorkgroup(lid, acc);
  if (lid == 0u) {
    partialAcc[row * params.chunks + chunk] = total;
  }
}

@compute @workgroup_size(WG)
fn finish(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wg.x;
  var acc = Acc(0.0, 0.0, 0.0, 0u, 0u);
  for (var c = lid; c < params.chunks; c += WG) {
    acc = accMerge(acc, partialAcc[row * params.chunks + c]);
  }
  let total = reduceWorkgroup(lid, acc);
  if (lid == 0u) {
    writeRecord(row, total);
  }
}

// Record: [max, lse, entropy, tokenLogit, tokenProb, finiteCount, badCount, 0]. An empty row writes
// zeros (never NaN); the host turns finiteCount == 0 into an error naming the row.
fn writeRecord(row: u32, a: Acc) {
  let o = params.outOffset + row * RECORD_WORDS;
  for (var w = 0u; w < RECORD_WORDS; w++) {
    records[o + w] = 0u;
  }
  records[o + 5u] = a.count;
  records[o + 6u] = a.bad;
  if (a.count == 0u) {
    return;
  }
  let logS = log(a.s);
  let lse = a.m + logS;
  records[o] = bitcast<u32>(a.m);
  records[o + 1u] = bitcast<u32>(lse);
  records[o + 2u] = bitcast<u32>(max(0.0, logS - a.t / a.s));
  let tok = tokenIds[row];
  if (tok == NO_TOKEN) {
    return;
  }
  records[o + 3u] = F32_NEG_INF;
  if (tok < params.validVocab) {
    let b = loadLogitBits(params.base + row * params.rowStride + tok, params.isF16 != 0u);
    if (isFiniteBits(b)) {
      records[o + 3u] = b;
      records[o + 4u] = bitcast<u32>(exp(bitcast<f32>(b) - lse));
    }
  }
}
