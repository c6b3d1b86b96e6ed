/**
 * Token annotations: each strategy family's detail at one token, as one union tagged by `kind`.
 * The worker emits exactly these shapes; the UI dispatches on `kind` (app/annotations/*) and still
 * reads every field defensively, because an imported run file may hold anything.
 * Field by field in docs/run-format.md#annotations.
 */

/** Greedy without a penalty: nothing beyond the base record (`{}` in the JSON). */
export type NoAnnotations = { kind?: undefined };

/** A choice from the processed distribution (sampling, greedy with a repetition penalty). */
export type ProcessedAnnotations = {
  kind: 'processed';
  /** Probability of the chosen token in the processed (warped) distribution. */
  processedProb: number;
  /** Entropy of the processed distribution over the kept tokens, nats. */
  processedEntropy: number;
  /** Tokens the processors kept. */
  kept: number;
};

/** Why a speculative token was emitted. */
export type EmitFate = 'accepted' | 'resampled' | 'bonus';
/** What happened to one drafted token. */
export type DraftFate = 'accepted' | 'rejected' | 'discarded';

/** One drafted token as the UI sees it (annotations of the iteration's first emitted token). */
export type DraftRecord = {
  id: number;
  fate: DraftFate;
  /** p_i(d_i) in the target's final distribution (null: not verified, after a rejection). */
  p: number | null;
  /** q_i(d_i) in the draft's final distribution (1 for n-gram drafts). */
  q: number;
  /** The uniform r_i compared with min(1, p/q) (sampling only). */
  r?: number;
};

/**
 * Every token a speculative / prompt-lookup iteration emits. Under greedy, p and q are softmaxes of
 * the processed rows at temperature 1; under sampling the final (warped) distributions the
 * acceptance test uses.
 */
export type SpeculativeAnnotations = {
  kind: 'speculative';
  /** Iteration index, from 0; tokens of one iteration share it. */
  iteration: number;
  fate: EmitFate;
  /** Draft length asked for (the schedule's k, or prompt lookup's k). */
  k: number;
  /** Tokens actually drafted (L ≤ k: EOS, short match, no match = 0). */
  drafted: number;
  /** n_acc of this iteration. */
  acceptedInIteration: number;
  /** Target probability of this token at its position (null for a residual draw). */
  p: number | null;
  /** Draft probability q_i(d_i) of an accepted draft (null for resampled / bonus tokens). */
  q: number | null;
  /** r_i of an accepted draft under sampling. */
  r?: number;
  /** Running α̂ (null before anything was drafted). */
  alpha: number | null;
  /**
   * Running τ = emitted / target forwards, counting every token the iterations emitted (the loop may
   * drop some at the token budget, so the panel's final τ can be slightly above its stats' ratio).
   */
  tau: number | null;
  /** First token of an iteration only: every drafted token with its fate, p, q (and r). */
  drafts?: DraftRecord[];
  /** First token of a prompt-lookup iteration only: the matched n-gram, or null (plain step). */
  match?: { start: number; n: number } | null;
};

/** A token and its probability under one model's raw softmax. */
export type ProbEntry = { id: number; prob: number };

/** One model's view of a contrastive-decoding step: the chosen token's raw probability and its top alternatives. */
export type ModelView = {
  /** Raw softmax probability (temperature 1, no processors) of the chosen token. */
  prob: number;
  /** Highest raw probability (the model's greedy pick's). */
  maxProb: number;
  top: ProbEntry[];
};

/** One contrastive-decoding token: expert vs amateur. */
export type ContrastiveAnnotations = {
  kind: 'contrastive';
  /** Plausibility cutoff α in (0, 1]. */
  alpha: number;
  /** Amateur weight β of the logit form. */
  beta: number;
  form: 'logit' | 'logprob';
  /** Amateur temperature τ_A of the log-prob form. */
  amateurTemperature: number;
  /** |V_head|: tokens passing the plausibility mask. */
  vHead: number;
  /** The expert's greedy pick (after the repetition penalty) and whether CD chose otherwise. */
  expertGreedy: number;
  departed: boolean;
  /** True when the token was drawn (temperature > 0) rather than the argmax of the contrast. */
  sampled: boolean;
  /** Top contrast scores (processed logits): higher is chosen under greedy. */
  scores: { id: number; score: number }[];
  expert: ModelView;
  amateur: ModelView;
};

/** One contrastive-search candidate with its SimCTG terms. */
export type SearchCandidate = {
  id: number;
  prob: number;
  /** max_j cos(h_v, h_j) over the context, in [−1, 1]. */
  degeneration: number;
  /** The context position j the candidate is most similar to (0 = first prompt token). */
  similarTo: number;
  /** (1 − α)·p − α·degeneration. */
  score: number;
};

/** One contrastive-search token. */
export type SearchAnnotations = {
  kind: 'contrastive-search';
  alpha: number;
  k: number;
  /** Index of the chosen token among the candidates (0 = the greedy pick). */
  chosenRank: number;
  departedFromGreedy: boolean;
  /** Context positions compared against (prompt plus earlier tokens). */
  contextLength: number;
  /** The top-k candidates in probability order. */
  candidates: SearchCandidate[];
};

/** Where a GRAD token came from. */
export type GradProvenance = 'unchanged' | 'flipped by graph' | 'no graph row';

/** One GRAD token. */
export type GradAnnotations = {
  kind: 'grad';
  provenance: GradProvenance;
  /** Fusion variant (A, B or C). */
  variant: string;
  lambdaT: number;
  scale: number | null;
  /** The choice without the graph term. */
  modelArgmax: number;
  /** Whether the GPU fusion pass ran (the top-k could not decide). */
  fusedPass: boolean;
  /** Successors of the previous token in the graph, normalised weight in [0, 1]. */
  successors: { id: number; text: string; weight: number }[];
  /** First token only: the retrieved passages and the graph's size. */
  graph?: {
    passages: { index: number; score: number; text: string }[];
    edges: number;
    sources: number;
    prefills: number;
    positions: number;
    readbackBytes: number;
    buildMs: number;
  };
};

/** How a CNTP trial ended. */
export type TrialEnd = 'punctuation' | 'eos' | 'cap';

/** One CNTP token. */
export type CntpAnnotations = {
  kind: 'cntp';
  /** Trials run at this step (1 = a plain draw). */
  N: number;
  /** Step index (a multi-token trial emits several tokens with the same step). */
  step: number;
  /** The step's first token only. */
  processedEntropy?: number;
  /** Position of this token within the winning trial (tokens after the first). */
  trialToken?: number;
  /** First token of a cautious step only: the winner, every trial, the batched forwards. */
  winner?: number;
  trials?: { text: string; perplexity: number; tokens: number; end: TrialEnd | null }[];
  batchForwards?: number;
};

/** What a strategy attaches to an emitted token: one family's annotations, or none. */
export type StrategyAnnotations =
  | NoAnnotations
  | ProcessedAnnotations
  | SpeculativeAnnotations
  | ContrastiveAnnotations
  | SearchAnnotations
  | GradAnnotations
  | CntpAnnotations;

/** Every `kind` a token's annotations can have. */
export type AnnotationKind = NonNullable<StrategyAnnotations['kind']>;

/**
 * A token record's annotations: the union above, open to keys it does not name (records read from
 * a file may come from another version; readers check every field they use).
 */
export type TokenAnnotations = StrategyAnnotations & Record<string, unknown>;
