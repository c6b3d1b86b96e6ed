// Sampler over a fused row y (f32 bits, written by logitFusion): the warper stages of
// kernels/warpers/index.ts in their order (sampleStage.wgsl), then an inverse-CDF draw in token-id
// order from one u32 uniform, or the residual draw norm(max(0, p - q)) of speculative sampling.
// Weights are the exact integers of sampleExp.wgsl, so kernels/reference/sample.ts picks the same
// token for the same uniform. Rank and prefix stages find their thresholds by radix select (8 bits
// per round, per-chunk histograms of counts or masses, one scan workgroup per round) instead of
// sorting the row: a rank stage selects the k-th smallest key (ties kept), a prefix stage the
// crossing entry in the order (key asc, id asc): first its key k*, then, among entries at k*, its id.
// Each stage writes -inf over the entries it removes, so the next stage sees only the kept ones.
// This file: bindings and shared helpers; sampleSelect.wgsl (radix select), sampleStage.wgsl
// (stages) and sampleDraw.wgsl (kept mass, residual, draw) follow it in the same module, then the
// generated prefixKey dispatcher and the warpers' key functions. Prepended by the host:
// logitLoad.wgsl (binding 0 = raw logits), sampleParams.wgsl, sampleU64.wgsl, sampleExp.wgsl.

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

// Bits of y[i], or -inf past the row (loops over a chunk skip both alike).
fn entryBits(i: u32) -> u32 {
  if (i >= params.n) {
    return NEG_INF_BITS;
  }
  return y[i];
}

fn rowWeight(i: u32) -> u32 {
  return weightOf(y[i], bitcast<f32>(state[S_YMAX]));
}

// Bits of the radix-select key of a slot: 32 for a stage's key, 24 for a token id.
fn keyBits(slot: u32) -> u32 {
  return select(32u, 24u, slot == 1u);
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

// After reduceChunk: this chunk's two sums into partials[4 * chunk ..].
fn storeChunkSums(chunk: u32) {
  let o = chunk * 4u;
  partials[o] = scan[0].x;
  partials[o + 1u] = scan[0].y;
  partials[o + 2u] = scan2[0].x;
  partials[o + 3u] = scan2[0].y;
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
