/** EAD annotations (`kind: 'ead'`, ../annotations.ts), fields read defensively. */
import type { EadAnnotations } from '../annotations';
import { count, num, oneOf } from '../../../app/annotations/read';

/** EAD at one token. */
export type EadView = Omit<EadAnnotations, 'kind'>;

const MODELS = ['draft', 'target'] as const;

/** The EAD view of a token's annotations, or null. */
export function eadView(a: Readonly<Record<string, unknown>>): EadView | null {
  if (a.kind !== 'ead') return null;
  const model = oneOf(a.model, MODELS);
  const entropyBits = num(a.entropyBits);
  const meanEntropyBits = num(a.meanEntropyBits);
  if (!model || entropyBits === undefined || meanEntropyBits === undefined) return null;
  return {
    model,
    entropyBits,
    meanEntropyBits,
    dwell: count(a.dwell) ?? 0,
    switchTo: oneOf(a.switchTo, MODELS) ?? null,
    catchUp: count(a.catchUp) ?? 0,
    processedProb: num(a.processedProb) ?? 0,
  };
}
