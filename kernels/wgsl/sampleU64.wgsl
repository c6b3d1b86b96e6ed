// Exact unsigned integer helpers for the sampler (mirrored by kernels/reference/sampleMath.ts and
// sampleExp.ts): 64-bit values as vec2<u32>(lo, hi), the 32 x 32 -> 64 product, the two 96-bit
// products the sampler needs (prefix-stage target, inverse-CDF target) and a 64-bit division.

fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}

fn sub64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}

fn ge64(a: vec2<u32>, b: vec2<u32>) -> bool {
  return a.y > b.y || (a.y == b.y && a.x >= b.x);
}

fn gt64(a: vec2<u32>, b: vec2<u32>) -> bool {
  return a.y > b.y || (a.y == b.y && a.x > b.x);
}

fn isZero64(a: vec2<u32>) -> bool {
  return a.x == 0u && a.y == 0u;
}

// Full 64-bit product (lo, hi) of two u32 through 16-bit limbs.
fn mulWide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let mid = p01 + (p00 >> 16u) + (p10 & 0xffffu);
  let lo = (mid << 16u) | (p00 & 0xffffu);
  let hi = a1 * b1 + (p10 >> 16u) + (mid >> 16u);
  return vec2<u32>(lo, hi);
}

// a * b as three words (w0, w1, w2), least significant first.
fn mul64x32(a: vec2<u32>, b: u32) -> vec3<u32> {
  let p0 = mulWide(a.x, b);
  let p1 = mulWide(a.y, b);
  let w1 = p0.y + p1.x;
  return vec3<u32>(p0.x, w1, p1.y + select(0u, 1u, w1 < p0.y));
}

// max(1, ceil(mass * pFixed / 2^24)): the mass a prefix stage (top-p nucleus) must reach.
fn topPTarget(mass: vec2<u32>, pFixed: u32) -> vec2<u32> {
  let w = mul64x32(mass, pFixed);
  let r0 = w.x + 0xffffffu;
  let c0 = select(0u, 1u, r0 < w.x);
  let r1 = w.y + c0;
  let c1 = select(0u, 1u, r1 < c0);
  let r2 = w.z + c1;
  let t = vec2<u32>((r0 >> 24u) | (r1 << 8u), (r1 >> 24u) | (r2 << 8u));
  return select(t, vec2<u32>(1u, 0u), isZero64(t));
}

// floor(u * mass / 2^32): the inverse-CDF target of a u32 uniform, in [0, mass).
fn drawTarget(mass: vec2<u32>, u: u32) -> vec2<u32> {
  let w = mul64x32(mass, u);
  return vec2<u32>(w.y, w.z);
}

// max(0, floor((wp * a - wq * b) / 2^24)) for weights <= 2^31 and coefficients <= 2^24.
fn residualWeight(wp: u32, wq: u32, a: u32, b: u32) -> u32 {
  let x = mulWide(wp, a);
  let y = mulWide(wq, b);
  if (!gt64(x, y)) {
    return 0u;
  }
  let d = sub64(x, y);
  return (d.x >> 24u) | (d.y << 8u);
}

// floor(a / b) for b != 0, by shift and subtract (one bit per step; b < 2^63).
fn div64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  var q = vec2<u32>(0u, 0u);
  var r = vec2<u32>(0u, 0u);
  for (var k = 0u; k < 64u; k++) {
    let bit = 63u - k;
    let word = select(a.x, a.y, bit >= 32u);
    r = vec2<u32>((r.x << 1u) | ((word >> (bit & 31u)) & 1u), (r.y << 1u) | (r.x >> 31u));
    if (ge64(r, b)) {
      r = sub64(r, b);
      if (bit >= 32u) {
        q.y = q.y | (1u << (bit - 32u));
      } else {
        q.x = q.x | (1u << bit);
      }
    }
  }
  return q;
}
