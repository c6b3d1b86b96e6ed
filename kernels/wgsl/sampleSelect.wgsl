// Radix select of a stage's threshold key (rank: by count, prefix: by mass) and of a prefix stage's
// crossing id among the entries at that key, 8 bits per round, keys ascending: radixHist builds
// per-chunk histograms of counts or masses, radixScan (one workgroup) finds the bin where the
// running total reaches the goal. Part of the sample module (after sample.wgsl).

// Histogram of the current radix digit over one chunk (slot 0: the stage's key, 1: ids at k*).
@compute @workgroup_size(WG)
fn radixHist(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  for (var b = lid; b < BINS; b += WG) {
    atomicStore(&hLo[b], 0u);
    atomicStore(&hHi[b], 0u);
  }
  workgroupBarrier();
  let slot = params.slot;
  let shift = keyBits(slot) - 8u * (params.round + 1u);
  let prefix = state[S_SEL + 4u * slot];
  let start = wg.x * WG * ITEMS;
  for (var j = 0u; j < ITEMS; j++) {
    let i = start + j * WG + lid;
    let bits = entryBits(i);
    if (bits == NEG_INF_BITS) {
      continue;
    }
    let kw = stageKeyWeight(bits);
    var key = kw.x;
    let w = kw.y;
    if (slot == 1u) {
      if (key != state[S_SEL]) {
        continue;
      }
      key = i;
    }
    if (params.round > 0u && (key >> (shift + 8u)) != (prefix >> (shift + 8u))) {
      continue;
    }
    let bin = (key >> shift) & 255u;
    let old = atomicAdd(&hLo[bin], w);
    if (old + w < old) {
      atomicAdd(&hHi[bin], 1u);
    }
  }
  workgroupBarrier();
  for (var b = lid; b < BINS; b += WG) {
    let o = (wg.x * BINS + b) * 2u;
    partials[o] = atomicLoad(&hLo[b]);
    partials[o + 1u] = atomicLoad(&hHi[b]);
  }
}

// Inclusive prefix sum of scan[] over the 256 invocations (Hillis-Steele).
fn scanBins(b: u32) {
  for (var off = 1u; off < BINS; off *= 2u) {
    var v = scan[b];
    if (b >= off) {
      v = add64(v, scan[b - off]);
    }
    workgroupBarrier();
    scan[b] = v;
    workgroupBarrier();
  }
}

// One round of radix select: the bin where the cumulative count / mass reaches the goal.
@compute @workgroup_size(256)
fn radixScan(@builtin(local_invocation_index) b: u32) {
  var tot = vec2<u32>(0u, 0u);
  for (var c = 0u; c < params.chunks; c++) {
    let o = (c * BINS + b) * 2u;
    tot = add64(tot, vec2<u32>(partials[o], partials[o + 1u]));
  }
  scan[b] = tot;
  workgroupBarrier();
  scanBins(b);
  let slot = params.slot;
  let so = S_SEL + 4u * slot;
  if (b == 0u) {
    var goal = vec2<u32>(state[so + 1u], state[so + 2u]);
    if (params.round == 0u) {
      state[so + 3u] = 0u;
      if (slot == 1u) {
        goal = vec2<u32>(state[S_SEL + 1u], state[S_SEL + 2u]);
      } else if (params.kind == KIND_RANK) {
        goal = vec2<u32>(params.arg, 0u);
      } else {
        goal = topPTarget(scan[BINS - 1u], params.arg);
      }
    }
    picked = vec3<u32>(goal, state[so + 3u]);
  }
  workgroupBarrier();
  let goal = picked.xy;
  if (picked.z != 0u) {
    return;
  }
  if (!ge64(scan[BINS - 1u], goal)) {
    if (b == 0u) {
      state[so + 3u] = 1u;
    }
    return;
  }
  let incl = scan[b];
  var excl = vec2<u32>(0u, 0u);
  if (b > 0u) {
    excl = scan[b - 1u];
  }
  if (ge64(incl, goal) && !ge64(excl, goal)) {
    let rem = sub64(goal, excl);
    let shift = keyBits(slot) - 8u * (params.round + 1u);
    state[so] = select(state[so], 0u, params.round == 0u) | (b << shift);
    state[so + 1u] = rem.x;
    state[so + 2u] = rem.y;
  }
}
