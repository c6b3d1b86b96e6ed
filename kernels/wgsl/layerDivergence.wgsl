// layerDivergence: DoLa's divergence between the mature distribution P = softmax(a) (one row of
// binding 0) and each premature Q_j = softmax(b_j) (rows rowIds[j] of binding 1), over the first
// `n` entries. One workgroup per j, three strided passes: maxima, sums of exponentials, divergences.
// Writes per j: the DoLa code's ½[KL(M‖P) + KL(M‖Q)] / n and the textbook JSD ½[KL(P‖M) + KL(Q‖M)],
// M = ½(P + Q). Float32 rows only (the layer logits of our own graph are float32).

const WG: u32 = 256u;

struct Params {
  aBase: u32,   // window-relative element index of the mature row
  bBase: u32,   // window-relative element index of premature row 0
  bStride: u32, // elements between premature rows
  n: u32,       // entries compared (the valid vocabulary)
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
@group(0) @binding(3) var<storage, read> rowIds: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

var<workgroup> scratch: array<f32, WG>;

fn reduceMax(lid: u32, v: f32) -> f32 {
  scratch[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      scratch[lid] = max(scratch[lid], scratch[lid + s]);
    }
    workgroupBarrier();
  }
  let r = scratch[0];
  workgroupBarrier();
  return r;
}

fn reduceSum(lid: u32, v: f32) -> f32 {
  scratch[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      scratch[lid] = scratch[lid] + scratch[lid + s];
    }
    workgroupBarrier();
  }
  let r = scratch[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = wg.x;
  let n = params.n;
  let aRow = params.aBase;
  let bRow = params.bBase + rowIds[j] * params.bStride;
  var ma = -3.0e38;
  var mb = -3.0e38;
  for (var v = lid; v < n; v += WG) {
    ma = max(ma, a[aRow + v]);
    mb = max(mb, b[bRow + v]);
  }
  ma = reduceMax(lid, ma);
  mb = reduceMax(lid, mb);
  var sa = 0.0;
  var sb = 0.0;
  for (var v = lid; v < n; v += WG) {
    sa += exp(a[aRow + v] - ma);
    sb += exp(b[bRow + v] - mb);
  }
  let lseA = ma + log(reduceSum(lid, sa));
  let lseB = mb + log(reduceSum(lid, sb));
  var klMP = 0.0;
  var klMQ = 0.0;
  var klPM = 0.0;
  var klQM = 0.0;
  for (var v = lid; v < n; v += WG) {
    let lp = a[aRow + v] - lseA;
    let lq = b[bRow + v] - lseB;
    let p = exp(lp);
    let q = exp(lq);
    let m = 0.5 * (p + q);
    if (m > 0.0) {
      let lm = log(m);
      klMP += m * (lm - lp);
      klMQ += m * (lm - lq);
      klPM += p * (lp - lm);
      klQM += q * (lq - lm);
    }
  }
  klMP = reduceSum(lid, klMP);
  klMQ = reduceSum(lid, klMQ);
  klPM = reduceSum(lid, klPM);
  klQM = reduceSum(lid, klQM);
  if (lid == 0u) {
    out[2u * j] = 0.5 * (klMP + klMQ) / f32(n);
    out[2u * j + 1u] = 0.5 * (klPM + klQM);
  }
}
