// Deterministic integer softmax weight w(d) ~ 2^31 * e^d for d = y - max <= 0 (kernels/reference/
// sampleExp.ts is its bit-exact twin; the host injects the tables below from that file).
// Needs sampleU64.wgsl (mulWide).

const LOG2E_Q23: u32 = 12102203u;

//@EXP2_TABLES

fn mulQ31(a: u32, b: u32) -> u32 {
  let p = mulWide(a, b);
  return (p.y << 1u) | (p.x >> 31u);
}

// ceil(|d| * 2^24) from the bits of d, or 0xffffffff when |d| >= 32 (weight 0).
fn fixedMagnitude(bits: u32) -> u32 {
  let a = bits & 0x7fffffffu;
  if (a == 0u) {
    return 0u;
  }
  let e = a >> 23u;
  if (e == 0u) {
    return 1u;
  }
  if (e >= 132u) {
    return 0xffffffffu;
  }
  let m = (a & 0x7fffffu) | 0x800000u;
  if (e >= 126u) {
    return m << (e - 126u);
  }
  let s = 126u - e;
  if (s >= 24u) {
    return 1u;
  }
  return (m + (1u << s) - 1u) >> s;
}

// Fixed-point exponent -log2(w / 2^31) in 2^-24 units of a finite d <= 0 given as f32 bits
// (0x3fffffff when |d| >= 32: weight 0).
fn expExponentBits(dBits: u32) -> u32 {
  let q = fixedMagnitude(dBits);
  if (q == 0xffffffffu) {
    return 0x3fffffffu;
  }
  let p = mulWide(q, LOG2E_Q23);
  return (p.y << 9u) | (p.x >> 23u);
}

// Weight 2^31 * 2^(-t / 2^24) of a fixed-point exponent t.
fn exponentWeight(t: u32) -> u32 {
  let n = t >> 24u;
  if (n >= 32u) {
    return 0u;
  }
  let f = t & 0xffffffu;
  var w = mulQ31(EXP2_T0[f >> 18u], EXP2_T1[(f >> 12u) & 63u]);
  w = mulQ31(w, EXP2_T2[(f >> 6u) & 63u]);
  w = mulQ31(w, EXP2_T3[f & 63u]);
  return w >> n;
}

// Weight of a finite d <= 0 given as f32 bits.
fn expWeightBits(dBits: u32) -> u32 {
  return exponentWeight(expExponentBits(dBits));
}
