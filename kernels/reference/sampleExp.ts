/**
 * Deterministic integer softmax weights shared bit-for-bit by the CPU reference and the WGSL kernels
 * (sampleExp.wgsl gets these tables injected): w(d) ≈ 2^31 · e^d for d = y − max ≤ 0, a u32 in
 * [0, 2^31]. Only exact operations (bit extraction, integer multiply, shifts) are used, so the GPU and
 * the CPU agree on every weight and every cumulative sum, and the same uniform picks the same token.
 * Accuracy: about 1e-7 relative (|d| in 2^-24 steps, four Q31 table products); w(0) = 2^31 exactly
 * and w(d) < 2^31 for every d < 0; w = 0 below d ≈ −22 (2^31·e^d < 1).
 */

/** Weight of the maximum entry (d = 0): 2^31. */
export const WEIGHT_ONE = 2 ** 31;

/** round(log2(e) · 2^23): converts |d| (2^-24 fixed point) to a base-2 exponent (2^-24 fixed point). */
export const LOG2E_Q23 = 12102203;

/** EXP2_TABLES[c][j] = round(2^31 · 2^(−j / 64^(c+1))): the four 6-bit digits of the fraction. */
export const EXP2_TABLES: readonly (readonly number[])[] = [
  [
    2147483648, 2124350982, 2101467502, 2078830522, 2056437387, 2034285470, 2012372174, 1990694927,
    1969251188, 1948038440, 1927054196, 1906295993, 1885761398, 1865448001, 1845353420, 1825475297,
    1805811301, 1786359126, 1767116489, 1748081133, 1729250827, 1710623359, 1692196547, 1673968228,
    1655936265, 1638098541, 1620452965, 1602997467, 1585730000, 1568648537, 1551751076, 1535035634,
    1518500250, 1502142985, 1485961921, 1469955159, 1454120821, 1438457051, 1422962010, 1407633882,
    1392470869, 1377471191, 1362633090, 1347954824, 1333434672, 1319070932, 1304861917, 1290805962,
    1276901417, 1263146652, 1249540052, 1236080024, 1222764986, 1209593378, 1196563654, 1183674286,
    1170923762, 1158310587, 1145833280, 1133490379, 1121280436, 1109202018, 1097253708, 1085434106,
  ],
  [
    2147483648, 2147120270, 2146756953, 2146393698, 2146030505, 2145667373, 2145304302, 2144941293,
    2144578345, 2144215459, 2143852634, 2143489870, 2143127168, 2142764527, 2142401948, 2142039429,
    2141676973, 2141314577, 2140952243, 2140589970, 2140227759, 2139865609, 2139503520, 2139141492,
    2138779525, 2138417620, 2138055776, 2137693994, 2137332272, 2136970612, 2136609013, 2136247475,
    2135885998, 2135524583, 2135163228, 2134801935, 2134440703, 2134079532, 2133718422, 2133357373,
    2132996386, 2132635459, 2132274593, 2131913789, 2131553046, 2131192363, 2130831742, 2130471182,
    2130110682, 2129750244, 2129389867, 2129029550, 2128669295, 2128309101, 2127948967, 2127588895,
    2127228883, 2126868932, 2126509043, 2126149214, 2125789446, 2125429739, 2125070092, 2124710507,
  ],
  [
    2147483648, 2147477970, 2147472292, 2147466613, 2147460935, 2147455257, 2147449579, 2147443901,
    2147438222, 2147432544, 2147426866, 2147421188, 2147415510, 2147409832, 2147404154, 2147398476,
    2147392798, 2147387120, 2147381442, 2147375764, 2147370086, 2147364408, 2147358730, 2147353052,
    2147347374, 2147341696, 2147336018, 2147330340, 2147324663, 2147318985, 2147313307, 2147307629,
    2147301951, 2147296274, 2147290596, 2147284918, 2147279240, 2147273563, 2147267885, 2147262207,
    2147256530, 2147250852, 2147245174, 2147239497, 2147233819, 2147228141, 2147222464, 2147216786,
    2147211109, 2147205431, 2147199754, 2147194076, 2147188399, 2147182721, 2147177044, 2147171366,
    2147165689, 2147160011, 2147154334, 2147148657, 2147142979, 2147137302, 2147131625, 2147125947,
  ],
  [
    2147483648, 2147483559, 2147483471, 2147483382, 2147483293, 2147483204, 2147483116, 2147483027,
    2147482938, 2147482849, 2147482761, 2147482672, 2147482583, 2147482495, 2147482406, 2147482317,
    2147482228, 2147482140, 2147482051, 2147481962, 2147481874, 2147481785, 2147481696, 2147481607,
    2147481519, 2147481430, 2147481341, 2147481252, 2147481164, 2147481075, 2147480986, 2147480898,
    2147480809, 2147480720, 2147480631, 2147480543, 2147480454, 2147480365, 2147480277, 2147480188,
    2147480099, 2147480010, 2147479922, 2147479833, 2147479744, 2147479655, 2147479567, 2147479478,
    2147479389, 2147479301, 2147479212, 2147479123, 2147479034, 2147478946, 2147478857, 2147478768,
    2147478680, 2147478591, 2147478502, 2147478413, 2147478325, 2147478236, 2147478147, 2147478058,
  ],
];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bits of `x` rounded to binary32. */
export function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0] ?? 0;
}

/** floor(a · b / 2^31) for integers a, b in [0, 2^31], exact (16-bit limbs keep every product < 2^53). */
export function mulQ31(a: number, b: number): number {
  const ah = Math.floor(a / 65536);
  const al = a % 65536;
  const bh = Math.floor(b / 65536);
  const bl = b % 65536;
  const mid = ah * bl + al * bh;
  return ah * bh * 2 + Math.floor((mid * 65536 + al * bl) / 2147483648);
}

/** ceil(|d| · 2^24) from the bits of d (|d| < 32), or -1 when |d| ≥ 32 (weight 0). */
function fixedMagnitude(bits: number): number {
  const abs = bits & 0x7fffffff;
  if (abs === 0) return 0;
  const e = abs >>> 23;
  if (e === 0) return 1;
  if (e >= 132) return -1;
  const m = (abs & 0x7fffff) | 0x800000;
  const sh = e - 126;
  if (sh >= 0) return m * 2 ** sh;
  if (-sh >= 24) return 1;
  return Math.floor((m + 2 ** -sh - 1) / 2 ** -sh);
}

/** Exponent of a weight too small to matter (|d| ≥ 32): above every real exponent, weight 0. */
export const EXPONENT_CAP = 0x3fffffff;

/**
 * Fixed-point exponent of the weight of d = y − max: t = floor(ceil(|d|·2^24) · LOG2E_Q23 / 2^23),
 * i.e. −log2(w / 2^31) in 2^-24 units (EXPONENT_CAP when |d| ≥ 32). d is rounded to f32 first.
 */
export function expExponent(d: number): number {
  const q = fixedMagnitude(f32Bits(d));
  if (q < 0) return EXPONENT_CAP;
  return Math.floor((q * LOG2E_Q23) / 8388608);
}

/** Weight 2^31 · 2^(−t / 2^24) of a fixed-point exponent t (0 from 32 halvings on). */
function exponentWeight(t: number): number {
  const n = Math.floor(t / 16777216);
  if (n >= 32) return 0;
  const f = t % 16777216;
  const [t0, t1, t2, t3] = EXP2_TABLES as [number[], number[], number[], number[]];
  let w = mulQ31(t0[f >>> 18]!, t1[(f >>> 12) & 63]!);
  w = mulQ31(w, t2[(f >>> 6) & 63]!);
  w = mulQ31(w, t3[f & 63]!);
  return Math.floor(w / 2 ** n);
}

/**
 * Integer softmax weight of a processed logit: w(y − max) ≈ 2^31 · e^(y − max), with d = y − max
 * rounded to f32 first (as the GPU computes it). `d` must be ≤ 0 or -Infinity (weight 0).
 */
export function expWeight(d: number): number {
  if (d === -Infinity) return 0;
  return exponentWeight(expExponent(d));
}

/** Integer weight of processed logit `y` against the row max `ymax` (both f32 values). */
export function weightOf(y: number, ymax: number): number {
  if (y === -Infinity) return 0;
  return expWeight(Math.fround(y - ymax));
}

/** The tables as WGSL `const` arrays (injected into sampleExp.wgsl so both sides share one source). */
export function exp2TablesWgsl(): string {
  return EXP2_TABLES.map((t, c) => `var<private> EXP2_T${c}: array<u32, 64> = array<u32, 64>(${t.map((v) => `${v}u`).join(', ')});`).join('\n');
}
