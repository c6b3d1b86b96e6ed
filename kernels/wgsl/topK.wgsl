// topK: per row the k largest finite logits, descending, ties towards the lower id.
// A workgroup holds up to WG * ITEMS (key, id) items in registers and keeps its k best with a radix
// select over the 56-bit composite (order-preserving float key, 0xffffff − id): unique per item, so
// exactly min(k, finite) items survive and no tie pass is needed. `chunkTop` (grid chunks x rows)
// writes k candidates per chunk; `mergeTop` (grid groups x rows) reduces groups of groupWidth
// candidate lists to one list, as many levels as needed; `rowTop` (grid 1 x rows) selects from the
// last lists, ranks the survivors and writes the record. Prepended by the host: logitLoad.wgsl.

override WG: u32 = 64u;
const ITEMS: u32 = 16u;
const MAX_K: u32 = 64u;
const RADIX: u32 = 256u;
const GROUPS: u32 = 16u; // RADIX = GROUPS * GROUPS bins, summed in two levels
const PASSES: u32 = 7u; // 4 digits of the float key, 3 of the inverted 24-bit id
const ID_MASK: u32 = 0xffffffu;
const NO_TOKEN: u32 = 0xffffffffu;

// One slot per dispatch (dynamic uniform offset); cands indices count vec2 entries.
struct Params {
  base: u32,       // window-relative element index of row 0, entry 0
  rowStride: u32,  // elements between rows
  validVocab: u32, // entries >= validVocab are masked
  isF16: u32,
  k: u32,
  listsIn: u32,    // candidate lists (k entries each) per row in the input region
  groupWidth: u32, // lists one workgroup merges
  inOffset: u32,   // cands index of the input region
  listsOut: u32,   // lists per row in the output region
  outOffset: u32,  // cands index of the output region; rowTop: first word of its records
}

// Bucket of the radix select: items whose masked composite equals the prefix.
struct Bucket {
  prefixHi: u32,
  maskHi: u32,
  prefixLo: u32,
  maskLo: u32,
}

@group(0) @binding(1) var<uniform> params: Params;
// Regions of per-row candidate lists, k (key, id) entries each; key 0 marks an empty slot.
@group(0) @binding(2) var<storage, read_write> cands: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read_write> records: array<u32>;

var<private> keys: array<u32, ITEMS>; // 0 = masked / empty
var<private> ids: array<u32, ITEMS>;

// Two histograms, alternating by pass: the next one is cleared while the current one fills.
var<workgroup> hist: array<array<atomic<u32>, RADIX>, 2>;
var<workgroup> groupSum: array<u32, GROUPS>;
var<workgroup> bucket: Bucket;
var<workgroup> need: u32;  // items still to take from the current bucket
var<workgroup> taken: u32; // min(k, finite items): how many the select keeps
var<workgroup> done: u32;
var<workgroup> slot: atomic<u32>;
var<workgroup> pickKey: array<u32, MAX_K>;
var<workgroup> pickId: array<u32, MAX_K>;

// Order-preserving u32 key of finite f32 bits; never 0, which marks masked entries.
fn orderKey(bits: u32) -> u32 {
  let b = canonicalBits(bits);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn keyToBits(key: u32) -> u32 {
  return select(~key, key & 0x7fffffffu, (key & 0x80000000u) != 0u);
}

fn loWord(j: u32) -> u32 {
  return ID_MASK - ids[j];
}

fn digit(j: u32, p: u32) -> u32 {
  if (p < 4u) {
    return (keys[j] >> (24u - 8u * p)) & 0xffu;
  }
  return (loWord(j) >> (16u - 8u * (p - 4u))) & 0xffu;
}

// -1: below the bucket (or masked), 0: inside, 1: above (always kept).
fn compareToBucket(j: u32, b: Bucket) -> i32 {
  if (keys[j] == 0u) {
    return -1;
  }
  let hi = keys[j] & b.maskHi;
  if (hi != b.prefixHi) {
    return select(-1, 1, hi > b.prefixHi);
  }
  let lo = loWord(j) & b.maskLo;
  if (lo != b.prefixLo) {
    return select(-1, 1, lo > b.prefixLo);
  }
  return 0;
}

fn narrowBucket(p: u32, bin: u32) {
  if (p < 4u) {
    let shift = 24u - 8u * p;
    bucket.prefixHi |= bin << shift;
    bucket.maskHi |= 0xffu << shift;
  } else {
    let shift = 16u - 8u * (p - 4u);
    bucket.prefixLo |= bin << shift;
    bucket.maskLo |= 0xffu << shift;
  }
}

// Bins of pass p in descending order, GROUPS at a time: group g holds bins 255 − 16g … 240 − 16g.
fn sumGroups(lid: u32, h: u32) {
  if (lid < GROUPS) {
    var sum = 0u;
    for (var q = 0u; q < GROUPS; q++) {
      sum += atomicLoad(&hist[h][RADIX - 1u - (lid * GROUPS + q)]);
    }
    groupSum[lid] = sum;
  }
}

// One invocation walks ≤ 16 group sums then ≤ 16 bins to find the bin holding the need-th item.
fn chooseBin(p: u32, k: u32) {
  let h = p & 1u;
  var total = 0u;
  for (var g = 0u; g < GROUPS; g++) {
    total += groupSum[g];
  }
  let want = select(need, min(k, total), p == 0u);
  if (p == 0u) {
    taken = want;
  }
  if (want == total) {
    // The whole bucket is kept (also covers an empty row): stop here.
    need = want;
    done = 1u;
    return;
  }
  var before = 0u;
  var g = 0u;
  while (g + 1u < GROUPS && before + groupSum[g] < want) {
    before += groupSum[g];
    g += 1u;
  }
  // The loops are bounded although `want` <= the remaining count always ends them sooner.
  let lowest = RADIX - (g + 1u) * GROUPS;
  var bin = RADIX - 1u - g * GROUPS;
  var count = atomicLoad(&hist[h][bin]);
  while (bin > lowest && before + count < want) {
    before += count;
    bin -= 1u;
    count = atomicLoad(&hist[h][bin]);
  }
  narrowBucket(p, bin);
  need = want - before;
  done = select(0u, 1u, count == want - before);
}

// Radix select over the items in registers; leaves the kept items in pickKey / pickId (unordered)
// and returns their count, min(k, finite items).
fn selectTop(lid: u32, k: u32) -> u32 {
  if (lid == 0u) {
    bucket = Bucket(0u, 0u, 0u, 0u);
    need = k;
    done = 0u;
    atomicStore(&slot, 0u);
  }
  for (var bin = lid; bin < RADIX; bin += WG) {
    atomicStore(&hist[0][bin], 0u);
  }
  workgroupBarrier();
  for (var p = 0u; p < PASSES; p++) {
    let b = bucket;
    for (var j = 0u; j < ITEMS; j++) {
      if (compareToBucket(j, b) == 0) {
        atomicAdd(&hist[p & 1u][digit(j, p)], 1u);
      }
    }
    for (var bin = lid; bin < RADIX; bin += WG) {
      atomicStore(&hist[(p + 1u) & 1u][bin], 0u);
    }
    workgroupBarrier();
    sumGroups(lid, p & 1u);
    workgroupBarrier();
    if (lid == 0u) {
      chooseBin(p, k);
    }
    if (workgroupUniformLoad(&done) != 0u) {
      break;
    }
  }
  let n = workgroupUniformLoad(&taken);
  let b = bucket;
  for (var j = 0u; j < ITEMS; j++) {
    if (compareToBucket(j, b) >= 0) {
      let s = atomicAdd(&slot, 1u);
      if (s < n) {
        pickKey[s] = keys[j];
        pickId[s] = ids[j];
      }
    }
  }
  workgroupBarrier();
  return n;
}

@compute @workgroup_size(WG)
fn chunkTop(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let chunk = wg.x;
  let row = wg.y;
  let isF16 = params.isF16 != 0u;
  let rowBase = params.base + row * params.rowStride;
  let start = chunk * WG * ITEMS;
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    var key = 0u;
    if (i < params.validVocab) {
      let b = loadLogitBits(rowBase + i, isF16);
      if (isFiniteBits(b)) {
        key = orderKey(b);
      }
    }
    keys[j] = key;
    ids[j] = i;
  }
  let n = selectTop(lid, params.k);
  writeList(lid, row, chunk, n);
}

@compute @workgroup_size(WG)
fn mergeTop(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  loadGroup(lid, wg.y, wg.x);
  let n = selectTop(lid, params.k);
  writeList(lid, wg.y, wg.x, n);
}

@compute @workgroup_size(WG)
fn rowTop(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  loadGroup(lid, wg.y, 0u);
  let n = selectTop(lid, params.k);
  writeRecord(lid, wg.y, n);
}

// Loads the candidate lists [group * groupWidth, + groupWidth) of a row: contiguous in cands.
fn loadGroup(lid: u32, row: u32, group: u32) {
  let firstList = group * params.groupWidth;
  let lists = min(params.groupWidth, params.listsIn - firstList);
  let count = lists * params.k;
  let base = params.inOffset + (row * params.listsIn + firstList) * params.k;
  for (var j = 0u; j < ITEMS; j++) {
    let c = j * WG + lid;
    var v = vec2<u32>(0u, 0u);
    if (c < count) {
      v = cands[base + c];
    }
    keys[j] = v.x;
    ids[j] = v.y;
  }
}

// Writes the kept items as candidate list `list` of `row` (unordered; empty slots get key 0).
fn writeList(lid: u32, row: u32, list: u32, n: u32) {
  let o = params.outOffset + (row * params.listsOut + list) * params.k;
  for (var s = lid; s < params.k; s += WG) {
    cands[o + s] = select(vec2<u32>(0u, 0u), vec2<u32>(pickKey[s], pickId[s]), s < n);
  }
}

// Record: [count, ids × k, logit bits × k], ranked by (key desc, id asc); slots >= count are padding.
fn writeRecord(lid: u32, row: u32, n: u32) {
  let k = params.k;
  let o = params.outOffset + row * (1u + 2u * k);
  if (lid == 0u) {
    records[o] = n;
  }
  for (var s = lid; s < k; s += WG) {
    if (s < n) {
      let key = pickKey[s];
      let id = pickId[s];
      var rank = 0u;
      for (var q = 0u; q < n; q++) {
        let other = pickKey[q];
        if (other > key || (other == key && pickId[q] < id)) {
          rank += 1u;
        }
      }
      records[o + 1u + rank] = id;
      records[o + 1u + k + rank] = keyToBits(key);
    } else {
      records[o + 1u + s] = NO_TOKEN;
      records[o + 1u + k + s] = F32_NEG_INF;
    }
  }
}
