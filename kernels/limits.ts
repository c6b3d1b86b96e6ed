/** Largest top-k size the kernels support (one workgroup ranks the k survivors). */
export const MAX_K = 64;

/** Most rows per readout; one workgroup row per logit row in every dispatch. */
export const MAX_ROWS = 64;

/** Longest row: token ids live in 24 bits of the top-k composite key. */
export const MAX_ROW_LENGTH = 1 << 24;

/** Logits each invocation holds in registers; must equal `ITEMS` in the WGSL sources. */
export const ITEMS_PER_THREAD = 16;

/** Default invocations per workgroup (WGSL `override WG`); a power of two in [32, 256]. 64 keeps barriers cheap on SwiftShader and occupancy high on GPUs. */
export const DEFAULT_WORKGROUP_SIZE = 64;

/** Token-id sentinel meaning "no token requested for this row" (u32 all ones). */
export const NO_TOKEN = 0xffffffff;

/**
 * softmaxStats output record per row, in u32 words:
 * [max f32, lse f32, entropy f32, tokenLogit f32, tokenProb f32, finiteCount u32, badCount u32, reserved].
 */
export const STATS_RECORD_WORDS = 8;

/** topK output record per row, in u32 words: [count u32, ids u32 × k, logits f32 × k]. */
export function topKRecordWords(k: number): number {
  return 1 + 2 * k;
}
