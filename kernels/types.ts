/** Element type of a logits buffer. f16 is read as packed u32 words, so no `shader-f16` is needed. */
export type LogitDtype = 'f32' | 'f16';

/**
 * Where `rows` logit rows live inside a flat element array (ONNX `[batch, seq, rowLength]` flattened).
 * All counts are in elements (not bytes). Row r, entry i is element `offsetElems + r * rowStrideElems + i`.
 */
export interface LogitRowsLayout {
  /** Element index of entry 0 of row 0. */
  offsetElems: number;
  /** Elements between the starts of consecutive rows; at least `rowLength`. */
  rowStrideElems: number;
  /** Entries per row (the padded vocabulary width of the lm_head). */
  rowLength: number;
  /** Number of rows to read, in [1, MAX_ROWS]. */
  rows: number;
  /** Entries at index >= validVocab are treated as masked (-inf); in [1, rowLength]. */
  validVocab: number;
}

/** Logit rows resident in a GPU buffer (e.g. onnxruntime-web's `logits` output, usage STORAGE). */
export interface LogitRowsGpu extends LogitRowsLayout {
  buffer: GPUBuffer;
  dtype: LogitDtype;
}

/** What to read back per row: the top `k` entries and, optionally, one token's logit and probability. */
export interface RowReadoutOptions {
  /** Top-k size, an integer in [1, MAX_K]. */
  k: number;
  /** One token id per row (null = none), each in [0, rowLength); omitted = none for every row. */
  tokenIds?: readonly (number | null)[];
}

/** Softmax statistics of one row; every value is in nats / logit units, computed over finite entries. */
export interface RowStats {
  /** Largest finite logit. */
  max: number;
  /** log Σ exp(z_i) over finite entries. */
  lse: number;
  /** Entropy of softmax(z) in nats: LSE − Σ p_i z_i, computed as log s − Σ e^(z_i−max)(z_i−max) / s. */
  entropy: number;
  /** Logit of the requested token (-Infinity when masked), or null when none was requested. */
  tokenLogit: number | null;
  /** Probability of the requested token (0 when masked), or null when none was requested. */
  tokenProb: number | null;
}

/** Top-k of one row: at most k entries, sorted by logit descending, ties towards the lower id. */
export interface RowTopK {
  /** Token ids, length min(k, number of finite entries). */
  topIds: number[];
  /** Logits matching `topIds`. */
  topLogits: number[];
}

/** Everything read back for one row. */
export type RowReadoutRow = RowStats & RowTopK;

/** Result of one readout: one entry per row, plus how many bytes crossed to the CPU. */
export interface RowReadoutResult {
  rows: RowReadoutRow[];
  /** GPU path: bytes mapped from the staging buffer. CPU path: bytes of logits it read. */
  bytesRead: number;
}

/** Contrastive term of logitFusion (docs/algorithms.md#contrastive-decoding); the amateur row comes with the io. */
export interface FusionContrast {
  /** 'logit': (1+β)·z_E − β·z_A (O'Brien & Lewis). 'logprob': log p_E − log p_A(τ_A) (Li et al.). */
  form: 'logit' | 'logprob';
  /** β ≥ 0 (logit form). */
  beta: number;
  /** Plausibility α in (0, 1]: entries with z_E < log α + max z_E become -inf. */
  alpha: number;
  /** τ_A > 0 (logprob form). */
  amateurTemperature: number;
}

/**
 * One row's fusion: mask (≥ validVocab) → the input-phase logit processors (expert and amateur) →
 * contrast → sparse term → the output-phase processors (kernels/processors/index.ts: repetition
 * penalty in, temperature out). Every multiply uses an f32 constant computed once on the host
 * (the processors' packed words, 1+β, β, 1/τ_A), so the CPU reference reproduces the GPU bit for bit.
 */
export interface FusionSpec {
  /** Ids of the sequence so far (any order, repeats allowed; ids ≥ validVocab ignored), each in [0, 2^24): what a processor that reads the history sees. */
  historyIds: readonly number[];
  /** Logit-processor values by name (e.g. `{ repetitionPenalty: 1.3, temperature: 0.8 }`); a processor left out is off. */
  processors: Readonly<Record<string, number>>;
  contrast: FusionContrast | null;
  /** Distinct ids of the sparse term, each in [0, 2^24). */
  sparseIds: readonly number[];
  /** Values added at `sparseIds` (already scaled), rounded to f32. */
  sparseValues: readonly number[];
  /**
   * Optional dense allow-bitmask (grammar-constrained decoding): bit (i & 31) of word i >> 5 set = token i
   * allowed; a clear bit makes entry i −inf before everything else. At least ceil(validVocab / 32) words
   * when set. Omitted / null: no mask.
   */
  allowMask?: ArrayLike<number> | null;
}

/**
 * Warper parameters by name (kernels/warpers/index.ts), applied to the fused row when sampling in
 * that list's order (Hugging Face's: top-k → top-p → min-p → …). A name left out takes its warper's
 * off value; top-k, top-p and min-p are always given.
 */
export interface WarpSpec {
  /** Integer ≥ 0; 0 = off. Ties with the k-th largest are kept. */
  topK: number;
  /** In (0, 1]; 1 = off. Quantised to 2^-24 steps; the crossing token is kept. */
  topP: number;
  /** In [0, 1]; 0 = off. Removes weights < ceil(minP · 2^31) (the max has weight 2^31). */
  minP: number;
  /** Any other warper's parameter (its module says the range). */
  [param: string]: number;
}

/** A processed row after the warpers: what the sampler draws from (integer weights, kernels/reference/sampleExp). */
export interface KeptRowSummary {
  /** Largest processed logit (f32). */
  ymax: number;
  /** Lowest id holding ymax. */
  argmax: number;
  /** Entries with a finite processed logit after the warpers. */
  kept: number;
  /** Σ of the kept entries' integer weights (exact, < 2^53). */
  mass: number;
}
