/** CAAD annotations (`kind: 'caad'`, ../annotations.ts), fields read defensively. */
import type { CaadAnnotations, CaadNeighbour, CaadProvenance } from '../annotations';
import { bool, count, list, num, numOrNull, obj, oneOf, str } from '../../../app/annotations/read';

export type { CaadProvenance };

/** CAAD at one token (the store summary only on the first). */
export type CaadView = Omit<CaadAnnotations, 'kind'>;

const PROVENANCES: readonly CaadProvenance[] = ['flipped by retrieval', 'agreed', 'no retrieval'];

function neighbour(v: unknown): CaadNeighbour | undefined {
  const o = obj(v);
  const similarity = num(o?.similarity);
  const weight = num(o?.weight);
  const nextId = count(o?.nextId);
  if (similarity === undefined || weight === undefined || nextId === undefined) return undefined;
  return { similarity, weight, reference: count(o?.reference) ?? 0, position: count(o?.position) ?? 0, context: str(o?.context) ?? '', nextId, next: str(o?.next) ?? '' };
}

function shiftEntry(v: unknown): CaadView['shift'][number] | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const shift = num(o?.shift);
  if (id === undefined || shift === undefined) return undefined;
  return { id, text: str(o?.text) ?? '', shift };
}

function storeOf(v: unknown): CaadView['store'] {
  const o = obj(v);
  if (!o) return undefined;
  return {
    references: count(o.references) ?? 0,
    entries: count(o.entries) ?? 0,
    dim: count(o.dim) ?? 0,
    capped: bool(o.capped) ?? false,
    buildMs: num(o.buildMs) ?? 0,
    readbackBytes: num(o.readbackBytes) ?? 0,
    reused: bool(o.reused) ?? false,
  };
}

/** The CAAD view of a token's annotations, or null. */
export function caadView(a: Readonly<Record<string, unknown>>): CaadView | null {
  if (a.kind !== 'caad') return null;
  const provenance = oneOf(a.provenance, PROVENANCES);
  const choice = obj(a.modelChoice);
  const choiceId = count(choice?.id);
  if (!provenance || choiceId === undefined) return null;
  const view: CaadView = {
    provenance,
    lambda: num(a.lambda) ?? 0,
    gate: num(a.gate) ?? 0,
    bestSimilarity: numOrNull(a.bestSimilarity) ?? null,
    neighbours: list(a.neighbours, neighbour, 64) ?? [],
    shift: list(a.shift, shiftEntry, 16) ?? [],
    tokenShift: num(a.tokenShift) ?? 0,
    processedProb: num(a.processedProb) ?? 0,
    sampled: bool(a.sampled) ?? false,
    modelChoice: { id: choiceId, text: str(choice?.text) ?? '', prob: num(choice?.prob) ?? 0 },
    probWithout: numOrNull(a.probWithout) ?? null,
  };
  const store = storeOf(a.store);
  if (store) view.store = store;
  return view;
}
