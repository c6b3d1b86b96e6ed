// logitFusion: one pass over a logit row writing the processed row y (f32 bits) into a scratch
// buffer: mask (>= validVocab) -> input-phase logit processors (repetition penalty; expert and
// amateur) -> contrast with the plausibility mask -> sparse additive term -> output-phase
// processors (temperature). An optional dense allow-bitmask (grammar-constrained decoding) sets every
// entry whose bit is clear to -inf first (params.nAllow = 0: off, one uniform compare).
// kernels/reference/logitFusion.ts is its bit-exact twin: every multiply uses a host-rounded f32
// constant and goes through nf() so no compiler can fuse it with the following add into an fma.
// Prepended by the host: logitLoad.wgsl (binding 0 = expert logits), sampleParams.wgsl.
// Appended by the host: the processors' stages, inputStages() and outputStages() (ops/logitStages.ts).

override WG: u32 = 64u;

@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read> amateur: array<u32>;
@group(0) @binding(3) var<storage, read> lists: array<u32>;
@group(0) @binding(4) var<storage, read_write> y: array<u32>;
@group(0) @binding(5) var<storage, read_write> state: array<u32>;
@group(0) @binding(6) var<storage, read_write> partials: array<u32>;

var<workgroup> wk: array<u32, WG>;
var<workgroup> wi: array<u32, WG>;
var<workgroup> wf: array<u32, WG>;
var<workgroup> wb: array<u32, WG>;
var<workgroup> wm: array<f32, WG>;
var<workgroup> ws: array<f32, WG>;
var<workgroup> wm2: array<f32, WG>;
var<workgroup> ws2: array<f32, WG>;

fn nf(x: f32) -> f32 {
  return select(x, 0.0, params.never != 0u);
}

fn loadAmateurBits(e: u32, isF16: bool) -> u32 {
  if (!isF16) {
    return amateur[e];
  }
  let word = amateur[e >> 1u];
  return f16ToF32Bits((word >> ((e & 1u) * 16u)) & 0xffffu);
}

// Index j of `id` in the sorted list lists[start..start+count), or -1.
fn findIn(start: u32, count: u32, id: u32) -> i32 {
  var lo = 0u;
  var hi = count;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    let v = lists[start + mid];
    if (v == id) {
      return i32(mid);
    }
    if (v < id) {
      lo = mid + 1u;
    } else {
      hi = mid;
    }
  }
  return -1;
}

// Whether id i occurs in the sequence so far (the history list).
fn seenId(i: u32) -> bool {
  return findIn(0u, params.nHistory, i) >= 0;
}

// Processed logit bits of entry i (< n): finite, -inf (masked) or NaN/+inf (bad input / overflow).
fn fuseOne(i: u32) -> u32 {
  if (params.nAllow != 0u && ((lists[params.nHistory + 2u * params.nSparse + (i >> 5u)] >> (i & 31u)) & 1u) == 0u) {
    return NEG_INF_BITS;
  }
  let zb = loadLogitBits(params.base + i, params.isF16 != 0u);
  if (!isFiniteBits(zb)) {
    return zb;
  }
  let seen = seenId(i);
  var s = inputStages(bitcast<f32>(zb), seen);
  if (params.form != 0u) {
    var ab = NEG_INF_BITS;
    if (i < params.amValid) {
      ab = loadAmateurBits(params.amBase + i, params.amF16 != 0u);
    }
    if (!isFiniteBits(ab)) {
      return select(NEG_INF_BITS, ab, isBadBits(ab));
    }
    if (s - bitcast<f32>(state[S_MAXE]) < params.logAlpha) {
      return NEG_INF_BITS;
    }
    let za = inputStages(bitcast<f32>(ab), seen);
    if (params.form == 1u) {
      s = nf(params.onePlusBeta * s) - nf(params.beta * za);
    } else {
      s = s - nf(za * params.invAmT);
    }
  }
  let j = findIn(params.nHistory, params.nSparse, i);
  if (j >= 0) {
    s = s + bitcast<f32>(lists[params.nHistory + params.nSparse + u32(j)]);
  }
  s = outputStages(s, seen);
  return canonicalBits(bitcast<u32>(s));
}

// Online max / sum-exp accumulation of one value (count c = 0: empty).
fn accAdd(m: ptr<function, f32>, s: ptr<function, f32>, c: ptr<function, u32>, z: f32) {
  if (*c == 0u) {
    *m = z;
    *s = 1.0;
  } else if (z <= *m) {
    *s = *s + exp(z - *m);
  } else {
    *s = *s * exp(*m - z) + 1.0;
    *m = z;
  }
  *c = *c + 1u;
}

fn mergeMS(m1: f32, s1: f32, c1: u32, m2: f32, s2: f32, c2: u32) -> vec3<f32> {
  if (c2 == 0u) {
    return vec3<f32>(m1, s1, 0.0);
  }
  if (c1 == 0u) {
    return vec3<f32>(m2, s2, 0.0);
  }
  let m = max(m1, m2);
  return vec3<f32>(m, s1 * exp(m1 - m) + s2 * exp(m2 - m), 0.0);
}

// Penalised expert max / sum-exp and (logprob form) penalised amateur z_A / tau_A, per chunk.
@compute @workgroup_size(WG)
fn contrastStats(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  var mE = 0.0; var sE = 0.0; var cE = 0u;
  var mA = 0.0; var sA = 0.0; var cA = 0u;
  let start = wg.x * WG * ITEMS;
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    if (i >= params.n) {
      break;
    }
    let zb = loadLogitBits(params.base + i, params.isF16 != 0u);
    let seen = seenId(i);
    if (isFiniteBits(zb)) {
      accAdd(&mE, &sE, &cE, inputStages(bitcast<f32>(zb), seen));
    }
    if (params.form == 2u && i < params.amValid) {
      let ab = loadAmateurBits(params.amBase + i, params.amF16 != 0u);
      if (isFiniteBits(ab)) {
        accAdd(&mA, &sA, &cA, nf(inputStages(bitcast<f32>(ab), seen) * params.invAmT));
      }
    }
  }
  reduceStats(lid, mE, sE, cE, mA, sA, cA);
  if (lid == 0u) {
    let o = wg.x * 6u;
    partials[o] = bitcast<u32>(wm[0]);
    partials[o + 1u] = bitcast<u32>(ws[0]);
    partials[o + 2u] = wf[0];
    partials[o + 3u] = bitcast<u32>(wm2[0]);
    partials[o + 4u] = bitcast<u32>(ws2[0]);
    partials[o + 5u] = wb[0];
  }
}

fn reduceStats(lid: u32, mE: f32, sE: f32, cE: u32, mA: f32, sA: f32, cA: u32) {
  wm[lid] = mE; ws[lid] = sE; wf[lid] = cE;
  wm2[lid] = mA; ws2[lid] = sA; wb[lid] = cA;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      let e = mergeMS(wm[lid], ws[lid], wf[lid], wm[lid + half], ws[lid + half], wf[lid + half]);
      let a = mergeMS(wm2[lid], ws2[lid], wb[lid], wm2[lid + half], ws2[lid + half], wb[lid + half]);
      wm[lid] = e.x; ws[lid] = e.y; wf[lid] = wf[lid] + wf[lid + half];
      wm2[lid] = a.x; ws2[lid] = a.y; wb[lid] = wb[lid] + wb[lid + half];
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn contrastFinish(@builtin(local_invocation_index) lid: u32) {
  var mE = 0.0; var sE = 0.0; var cE = 0u;
  var mA = 0.0; var sA = 0.0; var cA = 0u;
  for (var c = lid; c < params.chunks; c += WG) {
    let o = c * 6u;
    let e = mergeMS(mE, sE, cE, bitcast<f32>(partials[o]), bitcast<f32>(partials[o + 1u]), partials[o + 2u]);
    let a = mergeMS(mA, sA, cA, bitcast<f32>(partials[o + 3u]), bitcast<f32>(partials[o + 4u]), partials[o + 5u]);
    mE = e.x; sE = e.y; cE += partials[o + 2u];
    mA = a.x; sA = a.y; cA += partials[o + 5u];
  }
  reduceStats(lid, mE, sE, cE, mA, sA, cA);
  if (lid == 0u) {
    state[S_MAXE] = bitcast<u32>(wm[0]);
    state[S_LSEE] = bitcast<u32>(wm[0] + log(ws[0]));
    state[S_LSEA] = select(0u, bitcast<u32>(wm2[0] + log(ws2[0])), wb[0] > 0u);
  }
}

// Max key with the lowest id among ties, finite and bad counts: merged over the workgroup.
fn reduceMax(lid: u32, key: u32, id: u32, finite: u32, bad: u32) {
  wk[lid] = key; wi[lid] = id; wf[lid] = finite; wb[lid] = bad;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      let k2 = wk[lid + half];
      let i2 = wi[lid + half];
      let take = wf[lid + half] > 0u && (wf[lid] == 0u || k2 > wk[lid] || (k2 == wk[lid] && i2 < wi[lid]));
      if (take) {
        wk[lid] = k2;
        wi[lid] = i2;
      }
      wf[lid] = wf[lid] + wf[lid + half];
      wb[lid] = wb[lid] + wb[lid + half];
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn fuse(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  var key = 0u; var id = 0u; var finite = 0u; var bad = 0u;
  let start = wg.x * WG * ITEMS;
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    if (i >= params.n) {
      break;
    }
    var b = fuseOne(i);
    if (isFiniteBits(b)) {
      let k = orderKey(b);
      if (finite == 0u || k > key) {
        key = k;
        id = i;
      }
      finite += 1u;
    } else if (isBadBits(b)) {
      bad += 1u;
      b = NEG_INF_BITS;
    }
    y[i] = b;
  }
  reduceMax(lid, key, id, finite, bad);
  if (lid == 0u) {
    let o = wg.x * 4u;
    partials[o] = wk[0];
    partials[o + 1u] = wi[0];
    partials[o + 2u] = wf[0];
    partials[o + 3u] = wb[0];
  }
}

@compute @workgroup_size(WG)
fn fuseFinish(@builtin(local_invocation_index) lid: u32) {
  var key = 0u; var id = 0u; var finite = 0u; var bad = 0u;
  for (var c = lid; c < params.chunks; c += WG) {
    let o = c * 4u;
    let f = partials[o + 2u];
    if (f > 0u && (finite == 0u || partials[o] > key)) {
      key = partials[o];
      id = partials[o + 1u];
    }
    finite += f;
    bad += partials[o + 3u];
  }
  reduceMax(lid, key, id, finite, bad);
  if (lid == 0u) {
    state[S_YMAX] = keyToBits(wk[0]);
    state[S_ARGMAX] = wi[0];
    state[S_FINITE] = wf[0];
    state[S_BAD] = wb[0];
  }
}
