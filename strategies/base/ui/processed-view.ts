/** Processor-chain annotations (`kind: 'processed'`: sampling, greedy with a penalty), fields read defensively. */
import { count, num } from '../../../app/annotations/read';

/** The processed (warped) distribution's view of the chosen token. */
export interface ProcessedView {
  processedProb: number;
  processedEntropy: number | null;
  /** Tokens the processors kept (the surviving set). */
  kept: number | null;
}

/** The processed view of a token's annotations, or null. */
export function processedView(a: Readonly<Record<string, unknown>>): ProcessedView | null {
  if (a.kind !== 'processed') return null;
  const processedProb = num(a.processedProb);
  if (processedProb === undefined) return null;
  return { processedProb, processedEntropy: num(a.processedEntropy) ?? null, kept: count(a.kept) ?? null };
}
