// The built-in test models: tiny Llama-layout decoders with random weights. All three draw their
// weights from one seeded family, so the draft reuses the target's embedding, final norm, lm_head
// and first layer, and the padded model is the target plus extra lm_head rows.

/** Byte tokens occupy ids 0..255 (id = byte value). */
export const BYTE_TOKENS = 256;
/** `<s>`, prepended by the tokenizer's post-processor. */
export const BOS_ID = 256;
/** `</s>`, the only stop token. */
export const EOS_ID = 257;
/** Padding reuses EOS, so the tokenizer defines exactly 258 ids. */
export const PAD_ID = EOS_ID;
/** Number of ids the tokenizer defines; lm_head rows at or above it must be masked. */
export const TOKENIZER_VOCAB_SIZE = 258;

/**
 * Seed of the shared weight family (unsigned 32-bit). Picked by scanning seeds 1..24 on a dozen
 * prompts: with 11, greedy reaches EOS on some prompts but only after 30+ tokens, so EOS is
 * reachable without cutting the end-to-end tests' 32-token runs short. No logit is special-cased.
 */
export const FAMILY_SEED = 11;

/** Config numbers and weight recipe of one built-in model. */
export interface ModelSpec {
  /** Folder name under public/models/builtin/ and the id suffix in `builtin:<name>`. */
  name: string;
  /** Short human label for the model picker. */
  label: string;
  /** One sentence for the model picker. */
  description: string;
  /** Folder name of the model it pairs with (draft ↔ target), or null. */
  pairedWith: string | null;
  /** Residual width (hidden_size). */
  hiddenSize: number;
  /** MLP width (intermediate_size). */
  intermediateSize: number;
  /** Family layer indices this model stacks, in order; its length is num_hidden_layers. */
  layerSources: number[];
  /** Query heads (num_attention_heads). */
  numHeads: number;
  /** Key/value heads (num_key_value_heads); numHeads must be a multiple. */
  numKvHeads: number;
  /** Per-head width (head_dim); even, for rotate-half RoPE. */
  headDim: number;
  /** RoPE base θ. */
  ropeTheta: number;
  /** RMSNorm epsilon added to the mean square. */
  rmsNormEps: number;
  /** Rows of the RoPE tables = largest position id + 1. */
  maxPositions: number;
  /** lm_head rows (config vocab_size); ≥ TOKENIZER_VOCAB_SIZE. */
  vocabSize: number;
  /** Logit bias added to lm_head rows ≥ TOKENIZER_VOCAB_SIZE (0: no bias node at all). */
  paddedRowBias: number;
}

const TARGET: ModelSpec = {
  name: 'tiny-llama',
  label: 'Tiny Llama (test, random weights)',
  description: 'Built-in 2-layer Llama-layout test model with random weights; output is gibberish by design.',
  pairedWith: 'tiny-llama-draft',
  hiddenSize: 64,
  intermediateSize: 128,
  layerSources: [0, 1],
  numHeads: 4,
  numKvHeads: 2,
  headDim: 16,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
  maxPositions: 4096,
  vocabSize: TOKENIZER_VOCAB_SIZE,
  paddedRowBias: 0,
};

const DRAFT: ModelSpec = {
  ...TARGET,
  name: 'tiny-llama-draft',
  label: 'Tiny Llama draft (test, random weights)',
  description: "Built-in 1-layer draft for Tiny Llama: the target's embedding, first layer, final norm and lm_head.",
  pairedWith: 'tiny-llama',
  layerSources: [0],
};

const PADDED: ModelSpec = {
  ...TARGET,
  name: 'tiny-llama-padded',
  label: 'Tiny Llama padded vocab (test, random weights)',
  description: 'Tiny Llama with 320 lm_head rows for a 258-id tokenizer; the extra rows carry a large bias and must be masked.',
  pairedWith: null,
  vocabSize: 320,
  paddedRowBias: 40,
};

/** Names of the built-in models, target first. */
export const builtinNames: string[] = [TARGET.name, DRAFT.name, PADDED.name];

const SPECS = new Map<string, ModelSpec>([TARGET, DRAFT, PADDED].map((s) => [s.name, s]));

/** The spec of a built-in model by folder name; throws on an unknown name. */
export function loadSpec(name: string): ModelSpec {
  const spec = SPECS.get(name);
  if (!spec) throw new Error(`name must be one of ${builtinNames.join(', ')}, got ${JSON.stringify(name)}`);
  return spec;
}
