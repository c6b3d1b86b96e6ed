// softmaxStats: per row max, log-sum-exp, entropy (nats) over finite logits, plus one token's logit
// and probability. Two phases: `partials` (grid chunks x rows) folds WG * ITEMS logits per workgroup
// into an online-softmax partial; `finish` (grid rows) merges a row's partials and writes its record.
// Prepended by the host: logitLoad.wgsl (binding 0, the logits), softmaxAcc.wgsl.

override WG: u32 = 64u;
const ITEMS: u32 = 16u;

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

@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read_write> partialAcc: array<Acc>;
@group(0) @binding(3) var<storage, read> tokenIds: array<u32>;
@group(0) @binding(4) var<storage, read_write> records: array<u32>;

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
    let rowElem = params.base + row * params.rowStride;
    writeStatsRecord(params.outOffset + row * STATS_WORDS, total, tokenIds[row], params.validVocab, rowElem, params.isF16 != 0u);
  }
}
