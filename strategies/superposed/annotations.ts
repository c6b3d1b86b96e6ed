/**
 * Superposed decoding's annotations: `kind: 'superposed'`, and its live state (LiveState.superposed).
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the token
 * annotations union. Field by field in docs/run-format.md#annotations.
 */

/** One of the top 2k candidates ℓ_d + s_d(v) of a step. */
export type SuperposedCandidate = {
  /** Draft (index among the drafts before the step) it extends. */
  draft: number;
  id: number;
  text: string;
  /** p̃(v): the forward's softmax(z / T) over the kept top tokenSample tokens, renormalised. */
  lmProb: number;
  /** g_d(v), the interpolated n-gram probability after the draft; null with α = 0 (not looked up). */
  ngram: number | null;
  /** s_d(v) and the candidate's score ℓ_d + s_d(v). */
  step: number;
  score: number;
  /** The draft had no n-gram support for any kept token: s carries −penalty. */
  penalized: boolean;
  /** kept: a draft after the step; finished: an end token, held in the finished list; pruned: dropped. */
  fate: 'kept' | 'finished' | 'pruned';
  /** It extends the draft the output followed. */
  onOutput: boolean;
};

/** One draft as shown: its text after the prompt (the last tokens only, when long), score ℓ and share. */
export type SuperposedDraft = {
  text: string;
  /** ℓ: the sum of the draft's step scores s. */
  score: number;
  /** exp(ℓ_d) / Σ exp(ℓ) among the running drafts (its weight in the next superposition); 0 for finished ones. */
  weight: number;
};

/** One superposed decoding token. */
export type SuperposedAnnotations = {
  kind: 'superposed';
  /** Step of the search (0 = the first new token). */
  step: number;
  /** Drafts k, kept tokens, temperature T, α. */
  k: number;
  tokenSample: number;
  temperature: number;
  alpha: number;
  /** The superposition fed at this step, W(v) (sums to 1); empty on the first step, which feeds the prompt. */
  mix: { id: number; text: string; weight: number }[];
  /** The drafts before the step. */
  drafts: SuperposedDraft[];
  /** Draft the token extends and the chosen candidate's rank among the step's candidates. */
  draft: number;
  rank: number;
  /** p̃ and g_d of the token, its s and the draft's score ℓ after it. */
  lmProb: number;
  ngram: number | null;
  stepScore: number;
  score: number;
  /** The top 2k candidates, best first. */
  candidates: SuperposedCandidate[];
  /** On the last token: the drafts still running and the finished ones, and why the search ended. */
  final?: {
    running: SuperposedDraft[];
    finished: SuperposedDraft[];
    stop: 'end of sequence' | 'budget' | 'no draft left';
  };
  /** On the first token when α > 0: the n-gram corpus (passages, tokens counted, build time). */
  corpus?: { passages: number; tokens: number; buildMs: number };
};

/** The drafts as they stand after a step (LiveState.superposed). */
export type SuperposedLive = {
  step: number;
  k: number;
  /** Running drafts (best first) then finished ones; `output`: the draft the panel's text follows. */
  drafts: (SuperposedDraft & { state: 'running' | 'finished'; output: boolean })[];
  /** The superposition W of the last step's forward (empty after the first step). */
  mix: { text: string; weight: number }[];
};
