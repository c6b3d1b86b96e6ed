// Sampler over a fused row y (f32 bits, written by logitFusion): HF warpers top-k -> top-p -> min-p
// on the GPU, then an inverse-CDF draw in token-id order from one u32 uniform, or the residual
// draw norm(max(0, p - q)) of speculative sampling. Weights are the exact integers of
// sampleExp.wgsl, so kernels/reference/sample.ts picks the same token for the same uniform.
// Top-k and top-p find their thresholds by radix select (8 bits per round, per-chunk histograms of
// counts or masses, one scan workgroup per round) instead of sorting the row: top-k selects the
// k-th largest key (ties kept), top-p the crossing token in the order (weight desc, id asc): first
// its weight w*, then, among tokens of weight w*, its id.
// This file: bindings and shared helpers; sampleSelect.wgsl (radix select) and sampleDraw.wgsl
// (mask, residual, draw) follow it in the same module. Prepended by the host: logitLoad.wgsl
// (binding 0 = raw logits), sampleParams.wgsl, sampleU64.wgsl, sampleExp.wgsl.

override WG: u32 = 64u;
const BINS: u32 = 256u;

@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;
@group(0) @binding(3) var<storage, read> y2: array<u32>;
@group(0) @binding(4) var<storage, read_write> state: array<u32>;
@group(0) @binding(5) var<storage, read_write> partials: array<u32>;
@group(0) @binding(6) var<storage, read_write> record: array<u32>;
@group(0) @binding(7) var<storage, read> tokenIds: array<u32>;

var<workgroup> hLo: array<atomic<u32>, BINS>;
var<workgroup> hHi: array<atomic<u32>, BINS>;
var<workgroup> scan: array<vec2<u32>, BINS>;
var<workgroup> scan2: array<vec2<u32>, BINS>;
var<workgroup> picked: vec3<u32>;

fn weightOf(bits: u32, ymax: f32) -> u32 {
  if (bits == NEG_INF_BITS) {
    return 0u;
  }
  return expWeightBits(bitcast<u32>(bitcast<f32>(bits) - ymax));
}

fn rowWeight(i: u32) -> u32 {
  return weightOf(y[i], bitcast<f32>(state[S_YMAX]));
}

fn topKKeeps(bits: u32) -> bool {
  return params.topKOn == 0u || state[S_SEL + 3u] != 0u || orderKey(bits) >= state[S_SEL];
}

fn topPKeeps(w: u32, i: u32) -> bool {
  if (params.pFixed == 0u) {
    return true;
  }
  let wStar = state[S_SEL + 4u];
  return w > wStar || (w == wStar && i <= state[S_SEL + 8u]);
}

fn keyBits(slot: u32) -> u32 {
  return select(32u, 24u, slot == 2u);
}

fn reduceChunk(lid: u32, mass: vec2<u32>, mass2: vec2<u32>) {
  scan[lid] = mass;
  scan2[lid] = mass2;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      scan[lid] = add64(scan[lid], scan[lid + half]);
      scan2[lid] = add64(scan2[lid], scan2[lid + half]);
    }
    workgroupBarrier();
  }
}

// Inclusive prefix sums of scan[] and scan2[] over the first `count` invocations.
fn scanBoth(t: u32, count: u32) {
  for (var off = 1u; off < count; off *= 2u) {
    var v = scan[t];
    var v2 = scan2[t];
    if (t >= off && t < count) {
      v = add64(v, scan[t - off]);
      v2 = add64(v2, scan2[t - off]);
    }
    workgroupBarrier();
    scan[t] = v;
    scan2[t] = v2;
    workgroupBarrier();
  }
}
