// Sanity checks of a model folder's config.json against itself and its ONNX graph, so a bad value
// is refused at load with the file, the field and the value, never as a failure mid-decode.
import { LogitscopeError } from '../errors';

/** Largest vocab_size accepted (2^24): real vocabularies stay below 300,000 rows. */
export const MAX_VOCAB_SIZE = 16_777_216;

/**
 * `vocab_size` of config.json (`where` names the file): a positive integer up to MAX_VOCAB_SIZE,
 * or null when absent (the logits width then comes from the graph or the tokenizer).
 */
export function configVocabSize(config: Record<string, unknown>, where: string): number | null {
  if (!Object.hasOwn(config, 'vocab_size')) return null;
  const v = config.vocab_size;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new LogitscopeError('model-invalid', `${where}: vocab_size must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (v > MAX_VOCAB_SIZE) {
    throw new LogitscopeError('model-invalid', `${where}: vocab_size must be a positive integer of at most ${MAX_VOCAB_SIZE}, got ${v}`);
  }
  return v;
}

/**
 * Refuse a config vocab_size that differs from the graph's fixed logits width (`graphWidth`, null
 * when symbolic). Padded lm_head rows beyond the tokenizer are fine; a disagreement is not.
 */
export function checkLogitsWidth(vocabSize: number | null, graphWidth: number | null, configWhere: string, onnxWhere: string): void {
  if (vocabSize === null || graphWidth === null || vocabSize === graphWidth) return;
  throw new LogitscopeError('model-invalid', `${configWhere}: vocab_size must equal the logits width of ${onnxWhere} (${graphWidth}), got ${vocabSize}`);
}

/** Logit row width to assume before the first forward: config, then the graph, then the tokenizer. */
export function logitWidthFor(vocabSize: number | null, graphWidth: number | null, tokenizerSize: number): number {
  return vocabSize ?? graphWidth ?? tokenizerSize;
}

/** The context length a model config names (max_position_embeddings, n_positions, ...); null when none. */
export function contextLength(config: Record<string, unknown>): number | null {
  for (const field of ['max_position_embeddings', 'n_positions', 'max_sequence_length', 'seq_length', 'n_ctx']) {
    const v = config[field];
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  }
  return null;
}
