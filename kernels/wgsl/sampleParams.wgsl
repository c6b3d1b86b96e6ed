// Uniform block and state-buffer layout shared by logitFusion.wgsl and sample.wgsl (mirrored by
// kernels/ops/sampleParams.ts). One Params slot per dispatch (dynamic offset): the radix rounds
// differ only in `slot` and `round`.

struct Params {
  base: u32,        // expert window-relative element of the row's entry 0
  n: u32,           // expert validVocab = length of the fused row y
  isF16: u32,
  chunks: u32,      // ceil(n / CHUNK) (residual: ceil(max(n, qN) / CHUNK))
  amBase: u32,      // amateur window-relative element of its row's entry 0
  amValid: u32,     // amateur validVocab
  amF16: u32,
  form: u32,        // contrast: 0 none, 1 logit (O'Brien-Lewis), 2 logprob (Li et al.)
  nHistory: u32,    // sorted history ids at lists[0..nHistory) (read by processors with readsHistory)
  nSparse: u32,     // sorted sparse ids at lists[nHistory..], their f32 values after them
  procOn: u32,      // bit i: logit processor i of kernels/processors/index.ts runs
  never: u32,       // always 0: opaque to the compiler, blocks fusing a*b+c into an fma
  pw: vec4<f32>,    // the logit processors' uniform words (kernels/processors/plan.ts offsets)
  invAmT: f32,
  logAlpha: f32,
  onePlusBeta: f32,
  recordOffset: u32,
  stage: u32,       // warper stage area (sampleStage.wgsl): index in kernels/warpers/index.ts,
  kind: u32,        // its kind (KIND_*),
  arg: u32,         // the word its module packs,
  uniform: u32,     // floor(u * 2^32)
  slot: u32,        // radix select: 0 the stage's key, 1 the id among entries at the selected key
  round: u32,
  sampling: u32,
  nTokens: u32,     // token ids whose weights are reported
  mode: u32,        // draw: 0 kept row, 1 residual
  coefA: u32,
  coefB: u32,
  qN: u32,          // residual: width of q
  ymaxP: f32,       // residual: ymax of p and q
  ymaxQ: f32,
  flags: u32,       // stage area: bit 0 = its key reads the entropy statistic (S_H)
  beta: f32,
  arg2: u32,        // stage area: a mass stage's entropy margin (eta)
  nAllow: u32,      // allow-bitmask words at lists[nHistory + 2*nSparse..] (0 = no mask; bit i clear -> token i is -inf)
  spare1: u32,
  spare2: u32,
}

const NEG_INF_BITS: u32 = 0xff800000u;
const ITEMS: u32 = 16u;

// State words.
const S_YMAX: u32 = 0u;
const S_ARGMAX: u32 = 1u;
const S_FINITE: u32 = 2u;
const S_BAD: u32 = 3u;
const S_MAXE: u32 = 4u;
const S_LSEE: u32 = 5u;
const S_LSEA: u32 = 6u;
const S_SEL: u32 = 8u;      // slot s: [prefix, targetLo, targetHi, keepAll] at S_SEL + 4s
const S_H: u32 = 16u;       // entropy statistic of the kept set, then 1 when it has no weight
const S_MIN_W: u32 = 18u;   // mass stage: smallest kept weight ceil(W * arg / 2^32) (lo, hi)
const S_TOP: u32 = 20u;     // mass stage: largest order key of the kept logits
const S_DRAW: u32 = 22u;    // chunk, remLo, remHi
const S_KEPT: u32 = 25u;
const S_MASS: u32 = 26u;    // (lo, hi) of the distribution drawn from
const S_RMASS: u32 = 28u;   // residual mass (lo, hi)
const S_FALLBACK: u32 = 30u;
const STATE_WORDS: u32 = 32u;

// Record words (at params.recordOffset).
const R_ID: u32 = 0u;
const R_RAW: u32 = 1u;
const R_WEIGHT: u32 = 2u;
const R_KEPT: u32 = 3u;
const R_MASS: u32 = 4u;
const R_YMAX: u32 = 6u;
const R_ARGMAX: u32 = 7u;
const R_FINITE: u32 = 8u;
const R_BAD: u32 = 9u;
const R_LSEE: u32 = 10u;
const R_LSEA: u32 = 11u;
const R_FALLBACK: u32 = 12u;
const R_RMASS: u32 = 13u;
const R_TOKENS: u32 = 16u;
const MAX_TOKENS: u32 = 16u;

// Ascending u32 order of finite f32 values (-0 canonicalised to +0).
fn orderKey(bitsIn: u32) -> u32 {
  let b = select(bitsIn, 0u, bitsIn == 0x80000000u);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn keyToBits(k: u32) -> u32 {
  return select(~k, k & 0x7fffffffu, (k & 0x80000000u) != 0u);
}
