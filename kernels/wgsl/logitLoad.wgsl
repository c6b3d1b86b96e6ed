// Shared prelude of the logit kernels (prepended by the host): reads f32 or f16 logits from a buffer
// bound as array<u32>, and classifies them by bit pattern. Bits, not float compares, decide masking:
// WGSL lets implementations assume no inf/NaN in float math, so -inf is only trusted as bits.

@group(0) @binding(0) var<storage, read> logits: array<u32>;

const F32_EXP_MASK: u32 = 0x7f800000u;
const F32_NEG_INF: u32 = 0xff800000u;

// Exact binary16 -> binary32 bit conversion, integer only (no shader-f16, no subnormal flush).
fn f16ToF32Bits(h: u32) -> u32 {
  let sign = (h & 0x8000u) << 16u;
  let expo = (h >> 10u) & 0x1fu;
  let mant = h & 0x3ffu;
  if (expo == 0x1fu) {
    return sign | F32_EXP_MASK | (mant << 13u);
  }
  if (expo == 0u) {
    // Subnormal or zero: mant * 2^-24 is exact and a normal f32.
    return sign | bitcast<u32>(f32(mant) * 5.9604644775390625e-8);
  }
  return sign | ((expo + 112u) << 23u) | (mant << 13u);
}

// f32 bits of element `e` (index relative to the bound window), from f32 or packed f16 storage.
fn loadLogitBits(e: u32, isF16: bool) -> u32 {
  if (!isF16) {
    return logits[e];
  }
  let word = logits[e >> 1u];
  return f16ToF32Bits((word >> ((e & 1u) * 16u)) & 0xffffu);
}

fn isFiniteBits(b: u32) -> bool {
  return (b & F32_EXP_MASK) != F32_EXP_MASK;
}

// NaN or +inf: never produced by a sane model; reported, never silently masked.
fn isBadBits(b: u32) -> bool {
  return !isFiniteBits(b) && b != F32_NEG_INF;
}

// -0 and +0 are equal logits, so they must rank by id alone.
fn canonicalBits(b: u32) -> u32 {
  return select(b, 0u, b == 0x80000000u);
}
