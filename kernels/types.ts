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
