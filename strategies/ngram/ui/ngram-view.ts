/** n-gram injection annotations (`kind: 'ngram'`, ../annotations.ts), fields read defensively. */
import type { NgramAnnotations, NgramProvenance } from '../annotations';
import { bool, count, list, num, numOrNull, obj, oneOf, str } from '../../../app/annotations/read';

export type { NgramProvenance };

/** n-gram injection at one token (the corpus summary only on the first). */
export type NgramView = Omit<NgramAnnotations, 'kind'>;

const PROVENANCES: readonly NgramProvenance[] = ['flipped by style', 'model choice', 'no style term'];

function styleEntry(v: unknown): NgramView['topStyle'][number] | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const p = num(o?.p);
  if (id === undefined || p === undefined) return undefined;
  return { id, text: str(o?.text) ?? '', p };
}

function corpusOf(v: unknown): NgramView['corpus'] {
  const o = obj(v);
  if (!o) return undefined;
  return { passages: count(o.passages) ?? 0, tokens: count(o.tokens) ?? 0, order: count(o.order) ?? 0, buildMs: num(o.buildMs) ?? 0 };
}

/** The n-gram view of a token's annotations, or null. */
export function ngramView(a: Readonly<Record<string, unknown>>): NgramView | null {
  if (a.kind !== 'ngram') return null;
  const provenance = oneOf(a.provenance, PROVENANCES);
  const choice = obj(a.modelChoice);
  const choiceId = count(choice?.id);
  if (!provenance || choiceId === undefined) return null;
  const view: NgramView = {
    provenance,
    lambda: num(a.lambda) ?? 0,
    orders: list(a.orders, count, 3) ?? [],
    styleProb: num(a.styleProb) ?? 0,
    lift: num(a.lift) ?? 0,
    processedProb: num(a.processedProb) ?? 0,
    sampled: bool(a.sampled) ?? false,
    modelChoice: { id: choiceId, text: str(choice?.text) ?? '', prob: num(choice?.prob) ?? 0 },
    probWithout: numOrNull(a.probWithout) ?? null,
    topStyle: list(a.topStyle, styleEntry, 16) ?? [],
  };
  const corpus = corpusOf(a.corpus);
  if (corpus) view.corpus = corpus;
  return view;
}
