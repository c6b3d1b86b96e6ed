/** CNTP annotations (`kind: 'cntp'`, ../annotations.ts), fields read defensively. */
import { count, list, num, obj, oneOf, str } from '../../../app/annotations/read';

/** One CNTP trial: its text, per-token perplexity, length and how it ended. */
export interface TrialView {
  text: string;
  perplexity: number;
  tokens: number;
  end: 'punctuation' | 'eos' | 'cap' | null;
}

/** CNTP at one token. */
export interface CntpView {
  /** Trials run at this step (1 = a plain draw). */
  n: number;
  /** Step index (a multi-token trial emits several tokens with the same step). */
  step: number;
  /** Position of this token within the winning trial (0 = the step's first token). */
  trialToken: number;
  processedEntropy: number | null;
  /** First token of a cautious step only. */
  winner: number | null;
  trials: TrialView[] | null;
  batchForwards: number | null;
}

function trial(v: unknown): TrialView | undefined {
  const o = obj(v);
  const text = str(o?.text);
  const perplexity = num(o?.perplexity);
  const tokens = count(o?.tokens);
  if (text === undefined || perplexity === undefined || tokens === undefined) return undefined;
  return { text, perplexity, tokens, end: oneOf(o?.end, ['punctuation', 'eos', 'cap'] as const) ?? null };
}

/** The CNTP view of a token's annotations, or null. */
export function cntpView(a: Readonly<Record<string, unknown>>): CntpView | null {
  if (a.kind !== 'cntp') return null;
  const n = count(a.N);
  const step = count(a.step);
  if (n === undefined || n < 1 || step === undefined) return null;
  return {
    n,
    step,
    trialToken: count(a.trialToken) ?? 0,
    processedEntropy: num(a.processedEntropy) ?? null,
    winner: count(a.winner) ?? null,
    trials: list(a.trials, trial, 64) ?? null,
    batchForwards: count(a.batchForwards) ?? null,
  };
}
