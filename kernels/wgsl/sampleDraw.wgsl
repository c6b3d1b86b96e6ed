// Kept mass, residual masses, and the inverse-CDF draw (chunk, then id inside the chunk) with the
// record readback. Part of the sample module (after sample.wgsl, sampleSelect.wgsl and
// sampleStage.wgsl).

// The kept row after the stages (finite entries of y): per chunk its mass and count.
@compute @workgroup_size(WG)
fn keptMass(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  var mass = vec2<u32>(0u, 0u);
  var count = 0u;
  let start = wg.x * WG * ITEMS;
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    if (entryBits(i) != NEG_INF_BITS) {
      mass = add64(mass, vec2<u32>(rowWeight(i), 0u));
      count += 1u;
    }
  }
  reduceChunk(lid, mass, vec2<u32>(count, 0u));
  if (lid == 0u) {
    storeChunkSums(wg.x);
  }
}

fn residualPair(i: u32) -> vec2<u32> {
  var wp = 0u;
  var wq = 0u;
  if (i < params.n) {
    wp = weightOf(y[i], params.ymaxP);
  }
  if (i < params.qN) {
    wq = weightOf(y2[i], params.ymaxQ);
  }
  return vec2<u32>(residualWeight(wp, wq, params.coefA, params.coefB), wp);
}

// Residual mode, per chunk: the mass of R = max(0, p·A − q·B)/2^24 and of p (the fallback).
@compute @workgroup_size(WG)
fn residualMass(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  var r = vec2<u32>(0u, 0u);
  var p = vec2<u32>(0u, 0u);
  let start = wg.x * WG * ITEMS;
  for (var j = 0u; j < ITEMS; j++) {
    let pair = residualPair(start + j * WG + lid);
    r = add64(r, vec2<u32>(pair.x, 0u));
    p = add64(p, vec2<u32>(pair.y, 0u));
  }
  reduceChunk(lid, r, p);
  if (lid == 0u) {
    storeChunkSums(wg.x);
  }
}

fn chunkMass(c: u32, secondary: bool) -> vec2<u32> {
  let o = c * 4u;
  if (!secondary) {
    return vec2<u32>(partials[o], partials[o + 1u]);
  }
  return vec2<u32>(partials[o + 2u], select(partials[o + 3u], 0u, params.mode == 0u));
}

// Totals over the chunks; when sampling, the chunk holding the draw goal and the rest of it.
@compute @workgroup_size(256)
fn drawChunk(@builtin(local_invocation_index) t: u32) {
  let per = (params.chunks + BINS - 1u) / BINS;
  let c0 = min(t * per, params.chunks);
  let c1 = min(c0 + per, params.chunks);
  var a = vec2<u32>(0u, 0u);
  var b = vec2<u32>(0u, 0u);
  for (var c = c0; c < c1; c++) {
    a = add64(a, chunkMass(c, false));
    b = add64(b, chunkMass(c, true));
  }
  scan[t] = a;
  scan2[t] = b;
  workgroupBarrier();
  scanBoth(t, BINS);
  let totalA = scan[BINS - 1u];
  let totalB = scan2[BINS - 1u];
  let secondary = params.mode == 1u && isZero64(totalA);
  let total = select(totalA, totalB, secondary);
  if (t == 0u) {
    state[S_MASS] = total.x;
    state[S_MASS + 1u] = total.y;
    state[S_KEPT] = select(totalB.x, 0u, params.mode == 1u);
    state[S_RMASS] = totalA.x;
    state[S_RMASS + 1u] = totalA.y;
    state[S_FALLBACK] = select(0u, 1u, secondary);
  }
  if (params.sampling == 0u) {
    return;
  }
  let goal = drawTarget(total, params.uniform);
  var incl = select(scan[t], scan2[t], secondary);
  var excl = vec2<u32>(0u, 0u);
  if (t > 0u) {
    excl = select(scan[t - 1u], scan2[t - 1u], secondary);
  }
  if (!ge64(goal, excl) || ge64(goal, incl)) {
    return;
  }
  var cum = excl;
  for (var c = c0; c < c1; c++) {
    let next = add64(cum, chunkMass(c, secondary));
    if (gt64(next, goal)) {
      let rem = sub64(goal, cum);
      state[S_DRAW] = c;
      state[S_DRAW + 1u] = rem.x;
      state[S_DRAW + 2u] = rem.y;
      return;
    }
    cum = next;
  }
}

fn itemWeight(i: u32, fallback: bool) -> u32 {
  if (params.mode == 0u) {
    if (i >= params.n) {
      return 0u;
    }
    return rowWeight(i);
  }
  let pair = residualPair(i);
  return select(pair.x, pair.y, fallback);
}

// The drawn token inside its chunk (each invocation scans 16 consecutive ids), or the argmax when
// not sampling; then the record.
@compute @workgroup_size(WG)
fn drawFind(@builtin(local_invocation_index) t: u32) {
  if (t == 0u) {
    picked = vec3<u32>(state[S_ARGMAX], 0u, 0u);
  }
  let fallback = params.mode == 1u && state[S_FALLBACK] != 0u;
  if (params.sampling != 0u) {
    let rem = vec2<u32>(state[S_DRAW + 1u], state[S_DRAW + 2u]);
    let e0 = state[S_DRAW] * WG * ITEMS + t * ITEMS;
    var sum = vec2<u32>(0u, 0u);
    for (var j = 0u; j < ITEMS; j++) {
      sum = add64(sum, vec2<u32>(itemWeight(e0 + j, fallback), 0u));
    }
    scan[t] = sum;
    scan2[t] = vec2<u32>(0u, 0u);
    workgroupBarrier();
    scanBoth(t, WG);
    var excl = vec2<u32>(0u, 0u);
    if (t > 0u) {
      excl = scan[t - 1u];
    }
    if (ge64(rem, excl) && !ge64(rem, scan[t])) {
      var cum = excl;
      for (var j = 0u; j < ITEMS; j++) {
        let next = add64(cum, vec2<u32>(itemWeight(e0 + j, fallback), 0u));
        if (gt64(next, rem)) {
          picked = vec3<u32>(e0 + j, 0u, 0u);
          break;
        }
        cum = next;
      }
    }
  }
  workgroupBarrier();
  if (t == 0u) {
    writeRecord(picked.x, fallback);
  }
}

fn writeRecord(id: u32, fallback: bool) {
  let o = params.recordOffset;
  record[o + R_ID] = id;
  record[o + R_WEIGHT] = itemWeight(id, fallback);
  record[o + R_MASS] = state[S_MASS];
  record[o + R_MASS + 1u] = state[S_MASS + 1u];
  record[o + R_FALLBACK] = state[S_FALLBACK];
  record[o + R_RMASS] = state[S_RMASS];
  record[o + R_RMASS + 1u] = state[S_RMASS + 1u];
  if (params.mode == 1u) {
    return;
  }
  record[o + R_RAW] = loadLogitBits(params.base + id, params.isF16 != 0u);
  record[o + R_KEPT] = state[S_KEPT];
  record[o + R_YMAX] = state[S_YMAX];
  record[o + R_ARGMAX] = state[S_ARGMAX];
  record[o + R_FINITE] = state[S_FINITE];
  record[o + R_BAD] = state[S_BAD];
  record[o + R_LSEE] = state[S_LSEE];
  record[o + R_LSEA] = state[S_LSEA];
  for (var j = 0u; j < MAX_TOKENS; j++) {
    var w = 0u;
    if (j < params.nTokens) {
      let id2 = tokenIds[j];
      if (id2 < params.n) {
        w = rowWeight(id2);
      }
    }
    record[o + R_TOKENS + j] = w;
  }
}
