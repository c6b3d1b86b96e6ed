/**
 * The CNTP family's annotations: `kind: 'cntp'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

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
