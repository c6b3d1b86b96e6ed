// rowSummary: softmax statistics AND top-k of every row, three dispatches, each logit read once in
// the common case.
// `chunks` (grid chunks x rows) folds WG * ITEMS logits per workgroup into an online-softmax partial
// (softmaxAcc.wgsl, in the same order as softmaxStats.wgsl, so the statistics are bit-identical)
// and records the chunk's best entry.
// `gather` (grid k x rows) ranks the chunk maxima (every workgroup of a row does the same ranking).
// When k chunks hold finite entries, the k-th best maximum is a threshold T: the k-th best entry of
// the row is >= T (those k maxima are k entries >= T), and an entry >= T only lies in a chunk whose
// maximum is >= T, i.e. in one of the k best chunks. Workgroup w scans the w-th best chunk and
// appends its entries >= T to the row's candidate list (a few dozen entries for real logits).
// `finish` (grid rows) merges the partials into the statistics record and ranks the candidates into
// the top-k record. Rows whose candidates overflow CAP (e.g. dense ties) fall back to a radix select
// over the chosen chunks; rows of more than CAP chunks select the chunks by radix select too.
// Composite order as in the CPU reference: larger logit first, ties towards the lower id.
// Prepended by the host: logitLoad.wgsl (binding 0, the logits), softmaxAcc.wgsl (the fold).

override WG: u32 = 64u;
const ITEMS: u32 = 16u;
const MAX_K: u32 = 64u;
const RADIX: u32 = 256u;
const GROUPS: u32 = 16u; // RADIX = GROUPS * GROUPS bins, summed in two levels
const PASSES: u32 = 7u; // 4 digits of the float key, 3 of the inverted 24-bit id
const ID_MASK: u32 = 0xffffffu;
const CAP: u32 = 512u; // items ranked in workgroup memory: candidates per row, or chunk maxima
const SEL: u32 = 128u; // items above the ranking's lower bound, ranked among themselves
const META_WORDS: u32 = 8u;
// Per-row state words: [candidate count, chosen count, T key, T id, chosen chunk × MAX_K].
const STATE_WORDS: u32 = 68u;

// Item sources of the radix select (fallback paths).
const FROM_CHUNK_MAXIMA: u32 = 0u;
const FROM_CHUNKS: u32 = 1u; // entries of the chosen chunks >= T, read from the logits

// Online-softmax partial of a chunk (see softmaxAcc.wgsl) plus its best entry (key 0 = none).
struct Partial {
  m: f32,
  s: f32,
  t: f32,
  count: u32,
  bad: u32,
  bestKey: u32,
  bestId: u32,
  pad: u32,
}

struct Bucket {
  prefixHi: u32,
  maskHi: u32,
  prefixLo: u32,
  maskLo: u32,
}

// info: [base, rowStride, validVocab, chunks, isF16, k, statsOffset, topOffset, tokenIds × rows].
@group(0) @binding(1) var<storage, read> info: array<u32>;
@group(0) @binding(2) var<storage, read_write> partials: array<Partial>;
@group(0) @binding(3) var<storage, read_write> records: array<u32>;
@group(0) @binding(4) var<storage, read_write> cands: array<vec2<u32>>; // rows × CAP (key, id)
@group(0) @binding(5) var<storage, read_write> state: array<atomic<u32>>; // rows × STATE_WORDS

var<workgroup> wKey: array<u32, WG>;
var<workgroup> wId: array<u32, WG>;

var<workgroup> hist: array<array<atomic<u32>, RADIX>, 2>;
var<workgroup> groupSum: array<u32, GROUPS>;
var<workgroup> bucket: Bucket;
var<workgroup> need: u32;
var<workgroup> taken: u32;
var<workgroup> done: u32;
var<workgroup> slot: atomic<u32>;
var<workgroup> pickKey: array<u32, MAX_K>;
var<workgroup> pickId: array<u32, MAX_K>;
var<workgroup> chosen: array<u32, MAX_K>; // chunk indices, best maximum first on the ranking path
var<workgroup> chosenCount: u32;
var<workgroup> nonEmpty: atomic<u32>;
var<workgroup> thrKey: u32; // threshold T (key 0 = none: every finite entry qualifies)
var<workgroup> thrId: u32;
var<workgroup> itemKey: array<u32, CAP>; // chunk maxima (gather) or a row's candidates (finish)
var<workgroup> itemId: array<u32, CAP>;
var<workgroup> selKey: array<u32, SEL>;
var<workgroup> selId: array<u32, SEL>;
var<workgroup> selCount: atomic<u32>;
var<workgroup> boundKey: u32; // lower bound of the k-th best item (key 0 = none)
var<workgroup> boundId: u32;
var<workgroup> selTotal: u32;
var<workgroup> found: u32;

fn chunkElems() -> u32 {
  return WG * ITEMS;
}

// ---- composite order ----

fn orderKey(bits: u32) -> u32 {
  let b = canonicalBits(bits);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn keyToBits(key: u32) -> u32 {
  return select(~key, key & 0x7fffffffu, (key & 0x80000000u) != 0u);
}

// True when (keyA, idA) ranks above (keyB, idB): larger key, or equal key and lower id.
fn ranksAbove(keyA: u32, idA: u32, keyB: u32, idB: u32) -> bool {
  return keyA > keyB || (keyA == keyB && idA < idB);
}

// ---- dispatch 1: per chunk partial statistics and best entry ----

@compute @workgroup_size(WG)
fn chunks(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let chunk = wg.x;
  let row = wg.y;
  let isF16 = info[4] != 0u;
  let validVocab = info[2];
  let rowBase = info[0] + row * info[1];
  let start = chunk * chunkElems();
  var acc = Acc(0.0, 0.0, 0.0, 0u, 0u);
  var bestKey = 0u;
  var bestId = 0u;
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    if (i < validVocab) {
      let b = loadLogitBits(rowBase + i, isF16);
      if (isFiniteBits(b)) {
        acc = accAdd(acc, bitcast<f32>(b));
        // Ids rise with j, so a strict > keeps the lower id among equal keys.
        let key = orderKey(b);
        if (key > bestKey) {
          bestKey = key;
          bestId = i;
        }
      } else if (isBadBits(b)) {
        acc.bad += 1u;
      }
    }
  }
  wKey[lid] = bestKey;
  wId[lid] = bestId;
  let total = reduceWorkgroup(lid, acc);
  if (lid == 0u) {
    var key = 0u;
    var id = 0u;
    for (var q = 0u; q < WG; q++) {
      if (wKey[q] != 0u && (key == 0u || ranksAbove(wKey[q], wId[q], key, id))) {
        key = wKey[q];
        id = wId[q];
      }
    }
    partials[row * info[3] + chunk] = Partial(total.m, total.s, total.t, total.count, total.bad, key, id, 0u);
    if (chunk == 0u) {
      atomicStore(&state[row * STATE_WORDS], 0u);
    }
  }
}

// ---- dispatch 2: choose the k best chunks, gather their entries >= T ----

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let w = wg.x;
  let row = wg.y;
  let nChunks = info[3];
  let k = info[5];
  if (nChunks <= CAP) {
    for (var i = lid; i < nChunks; i += WG) {
      let p = partials[row * nChunks + i];
      itemKey[i] = p.bestKey;
      itemId[i] = p.bestId;
    }
    let n = rankTop(lid, k, nChunks);
    if (lid == 0u) {
      for (var s = 0u; s < n; s++) {
        chosen[s] = pickId[s] / chunkElems();
      }
      chosenCount = n;
      thrKey = select(0u, pickKey[max(n, 1u) - 1u], n == k);
      thrId = pickId[max(n, 1u) - 1u];
    }
  } else {
    let n = selectTop(lid, k, FROM_CHUNK_MAXIMA, row, nChunks);
    if (lid == 0u) {
      var tKey = 0u;
      var tId = 0u;
      for (var s = 0u; s < n; s++) {
        chosen[s] = pickId[s] / chunkElems();
        if (s == 0u || ranksAbove(tKey, tId, pickKey[s], pickId[s])) {
          tKey = pickKey[s];
          tId = pickId[s];
        }
      }
      chosenCount = n;
      thrKey = select(0u, tKey, n == k);
      thrId = tId;
    }
  }
  let n = workgroupUniformLoad(&chosenCount);
  if (w == 0u && lid == 0u) {
    let o = row * STATE_WORDS;
    atomicStore(&state[o + 1u], n);
    atomicStore(&state[o + 2u], thrKey);
    atomicStore(&state[o + 3u], thrId);
    for (var s = 0u; s < n; s++) {
      atomicStore(&state[o + 4u + s], chosen[s]);
    }
  }
  if (w < n) {
    for (var j = 0u; j < ITEMS; j++) {
      let it = chunkEntry(row, w * chunkElems() + j * WG + lid);
      if (it.x != 0u) {
        let c = atomicAdd(&state[row * STATE_WORDS], 1u);
        if (c < CAP) {
          cands[row * CAP + c] = it;
        }
      }
    }
  }
}

// ---- dispatch 3: statistics record, rank the candidates into the top-k record ----

@compute @workgroup_size(WG)
fn finish(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wg.x;
  let nChunks = info[3];
  let k = info[5];
  var acc = Acc(0.0, 0.0, 0.0, 0u, 0u);
  for (var c = lid; c < nChunks; c += WG) {
    let p = partials[row * nChunks + c];
    acc = accMerge(acc, Acc(p.m, p.s, p.t, p.count, p.bad));
  }
  let total = reduceWorkgroup(lid, acc);
  if (lid == 0u) {
    writeStatsRecord(info[6] + row * STATS_WORDS, total, info[META_WORDS + row], info[2], info[0] + row * info[1], info[4] != 0u);
    found = atomicLoad(&state[row * STATE_WORDS]);
  }
  let count = workgroupUniformLoad(&found);
  let o = info[7] + row * (1u + 2u * k);
  if (count <= CAP) {
    for (var i = lid; i < count; i += WG) {
      let it = cands[row * CAP + i];
      itemKey[i] = it.x;
      itemId[i] = it.y;
    }
    let n = rankTop(lid, k, count);
    writeTop(lid, row, n);
    return;
  }
  // Overflow: radix select over the chosen chunks' entries >= T.
  if (lid == 0u) {
    let st = row * STATE_WORDS;
    chosenCount = atomicLoad(&state[st + 1u]);
    thrKey = atomicLoad(&state[st + 2u]);
    thrId = atomicLoad(&state[st + 3u]);
    for (var s = 0u; s < chosenCount; s++) {
      chosen[s] = atomicLoad(&state[st + 4u + s]);
    }
  }
  let scanned = workgroupUniformLoad(&chosenCount) * chunkElems();
  let n = selectTop(lid, k, FROM_CHUNKS, row, scanned);
  writeTop(lid, row, n);
}

// ---- exact ranking in workgroup memory ----

// Ranks the `count` items in itemKey / itemId (key 0 = empty) and leaves the min(k, non-empty) best
// in pickKey / pickId, best first; returns how many. A lower bound cuts the work: with k <= WG and at
// least k invocations holding a non-empty item, the k-th best of the invocations' own best items is
// <= the k-th best item (those k are k distinct items at or above it), so only items at or above it
// (usually a few more than k) are ranked, among themselves (an item's betters are all above it too).
fn rankTop(lid: u32, k: u32, count: u32) -> u32 {
  workgroupBarrier();
  var bk = 0u;
  var bi = 0u;
  var mine = 0u;
  for (var i = lid; i < count; i += WG) {
    let key = itemKey[i];
    if (key != 0u) {
      mine += 1u;
      if (bk == 0u || ranksAbove(key, itemId[i], bk, bi)) {
        bk = key;
        bi = itemId[i];
      }
    }
  }
  wKey[lid] = bk;
  wId[lid] = bi;
  if (lid == 0u) {
    atomicStore(&nonEmpty, 0u);
    atomicStore(&selCount, 0u);
    boundKey = 0u;
    boundId = 0u;
  }
  workgroupBarrier();
  if (bk != 0u) {
    atomicAdd(&nonEmpty, mine);
    if (k <= WG) {
      var r = 0u;
      for (var q = 0u; q < WG; q++) {
        if (ranksAbove(wKey[q], wId[q], bk, bi)) {
          r += 1u;
        }
      }
      if (r == k - 1u) {
        boundKey = bk;
        boundId = bi;
      }
    }
  }
  workgroupBarrier();
  for (var i = lid; i < count; i += WG) {
    let key = itemKey[i];
    let id = itemId[i];
    if (key != 0u && (boundKey == 0u || !ranksAbove(boundKey, boundId, key, id))) {
      let s = atomicAdd(&selCount, 1u);
      if (s < SEL) {
        selKey[s] = key;
        selId[s] = id;
      }
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    selTotal = atomicLoad(&selCount);
  }
  let sel = workgroupUniformLoad(&selTotal);
  // The selected items when they fit in selKey / selId, else every item (exact either way).
  let fromSel = sel <= SEL;
  let n = select(count, sel, fromSel);
  for (var i = lid; i < n; i += WG) {
    let it = rankItem(fromSel, i);
    if (it.x != 0u) {
      var rank = 0u;
      for (var j = 0u; j < n; j++) {
        let other = rankItem(fromSel, j);
        if (ranksAbove(other.x, other.y, it.x, it.y)) {
          rank += 1u;
        }
      }
      if (rank < k) {
        pickKey[rank] = it.x;
        pickId[rank] = it.y;
      }
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    selTotal = min(k, atomicLoad(&nonEmpty));
  }
  return workgroupUniformLoad(&selTotal);
}

fn rankItem(fromSel: bool, i: u32) -> vec2<u32> {
  if (fromSel) {
    return vec2<u32>(selKey[i], selId[i]);
  }
  return vec2<u32>(itemKey[i], itemId[i]);
}

// Entry idx of the chosen chunks as (key, id); key 0 when masked, not finite, or below T.
fn chunkEntry(row: u32, idx: u32) -> vec2<u32> {
  let i = chosen[idx / chunkElems()] * chunkElems() + idx % chunkElems();
  if (i >= info[2]) {
    return vec2<u32>(0u, 0u);
  }
  let b = loadLogitBits(info[0] + row * info[1] + i, info[4] != 0u);
  if (!isFiniteBits(b)) {
    return vec2<u32>(0u, 0u);
  }
  let key = orderKey(b);
  if (thrKey != 0u && ranksAbove(thrKey, thrId, key, i)) {
    return vec2<u32>(0u, 0u);
  }
  return vec2<u32>(key, i);
}

fn item(source: u32, row: u32, idx: u32) -> vec2<u32> {
  if (source == FROM_CHUNK_MAXIMA) {
    let p = partials[row * info[3] + idx];
    return vec2<u32>(p.bestKey, p.bestId);
  }
  return chunkEntry(row, idx);
}

// ---- streaming radix select (the bucket logic of topK.wgsl, over an item source) ----

fn digit(key: u32, id: u32, p: u32) -> u32 {
  if (p < 4u) {
    return (key >> (24u - 8u * p)) & 0xffu;
  }
  return ((ID_MASK - id) >> (16u - 8u * (p - 4u))) & 0xffu;
}

fn compareToBucket(key: u32, id: u32, b: Bucket) -> i32 {
  if (key == 0u) {
    return -1;
  }
  let hi = key & b.maskHi;
  if (hi != b.prefixHi) {
    return select(-1, 1, hi > b.prefixHi);
  }
  let lo = (ID_MASK - id) & b.maskLo;
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

fn sumGroups(lid: u32, h: u32) {
  if (lid < GROUPS) {
    var sum = 0u;
    for (var q = 0u; q < GROUPS; q++) {
      sum += atomicLoad(&hist[h][RADIX - 1u - (lid * GROUPS + q)]);
    }
    groupSum[lid] = sum;
  }
}

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

// Keeps the min(k, non-empty items) best of `count` items of `source` in pickKey / pickId
// (unordered) and returns how many.
fn selectTop(lid: u32, k: u32, source: u32, row: u32, count: u32) -> u32 {
  workgroupBarrier();
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
    for (var idx = lid; idx < count; idx += WG) {
      let it = item(source, row, idx);
      if (compareToBucket(it.x, it.y, b) == 0) {
        atomicAdd(&hist[p & 1u][digit(it.x, it.y, p)], 1u);
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
  for (var idx = lid; idx < count; idx += WG) {
    let it = item(source, row, idx);
    if (compareToBucket(it.x, it.y, b) >= 0) {
      let s = atomicAdd(&slot, 1u);
      if (s < n) {
        pickKey[s] = it.x;
        pickId[s] = it.y;
      }
    }
  }
  workgroupBarrier();
  return n;
}

// ---- records ----

// [count, ids × k, logit bits × k] as in topK.wgsl, ranked by (key desc, id asc).
fn writeTop(lid: u32, row: u32, n: u32) {
  let k = info[5];
  let o = info[7] + row * (1u + 2u * k);
  if (lid == 0u) {
    records[o] = n;
  }
  for (var s = lid; s < k; s += WG) {
    if (s < n) {
      let key = pickKey[s];
      let id = pickId[s];
      var rank = 0u;
      for (var q = 0u; q < n; q++) {
        if (ranksAbove(pickKey[q], pickId[q], key, id)) {
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
