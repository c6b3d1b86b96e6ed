// Online softmax accumulator shared by softmaxStats.wgsl and rowSummary.wgsl (prepended by the host
// after logitLoad.wgsl): the fold of one logit, the merge of two partials, a workgroup tree merge and
// the statistics record.
// Every kernel that folds logits with it gets bit-identical statistics for the same chunking.
// Uses the including kernel's `override WG`.

const NO_TOKEN: u32 = 0xffffffffu;
const STATS_WORDS: u32 = 8u; // statistics record size (kernels/limits.ts STATS_RECORD_WORDS)

// Online-softmax partial relative to its own max m: s = Σ e^(z−m), t = Σ e^(z−m)(z−m).
// count = finite entries folded in (0 = empty, m/s/t unused); bad = NaN / +inf entries seen.
struct Acc {
  m: f32,
  s: f32,
  t: f32,
  count: u32,
  bad: u32,
}

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

// Statistics record at word o of `records` (declared by the including kernel):
// [max, lse, entropy, tokenLogit, tokenProb, finiteCount, badCount, 0]. An empty row writes zeros
// (never NaN); the host turns finiteCount == 0 into an error naming the row. `tok` is the requested
// token id (NO_TOKEN = none), `rowElem` the window element of the row's entry 0.
fn writeStatsRecord(o: u32, a: Acc, tok: u32, validVocab: u32, rowElem: u32, isF16: bool) {
  for (var w = 0u; w < STATS_WORDS; w++) {
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
  if (tok == NO_TOKEN) {
    return;
  }
  records[o + 3u] = F32_NEG_INF;
  if (tok < validVocab) {
    let b = loadLogitBits(rowElem + tok, isF16);
    if (isFiniteBits(b)) {
      records[o + 3u] = b;
      records[o + 4u] = bitcast<u32>(exp(bitcast<f32>(b) - lse));
    }
  }
}
