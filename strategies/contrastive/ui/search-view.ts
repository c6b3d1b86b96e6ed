/** Contrastive-search annotations (`kind: 'contrastive-search'`, ../annotations.ts), fields read defensively. */
import { count, list, num, obj } from '../../../app/annotations/read';

/** One SimCTG candidate: model confidence p, degeneration penalty, score, most similar position. */
export interface CandidateView {
  id: number;
  prob: number;
  degeneration: number;
  score: number;
  similarTo: number;
}

/** Contrastive search at one step. */
export interface SearchView {
  alpha: number;
  k: number;
  /** Index of the chosen candidate (0 = the greedy pick). */
  chosenRank: number;
  departed: boolean;
  contextLength: number;
  candidates: CandidateView[];
}

function candidate(v: unknown): CandidateView | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const prob = num(o?.prob);
  const degeneration = num(o?.degeneration);
  const score = num(o?.score);
  if (id === undefined || prob === undefined || degeneration === undefined || score === undefined) return undefined;
  return { id, prob, degeneration, score, similarTo: count(o?.similarTo) ?? 0 };
}

/** The contrastive-search view of a token's annotations, or null. */
export function searchView(a: Readonly<Record<string, unknown>>): SearchView | null {
  if (a.kind !== 'contrastive-search') return null;
  const chosenRank = count(a.chosenRank);
  const candidates = list(a.candidates, candidate, 64);
  if (chosenRank === undefined || !candidates) return null;
  return {
    alpha: num(a.alpha) ?? NaN,
    k: count(a.k) ?? candidates.length,
    chosenRank,
    departed: a.departedFromGreedy === true || chosenRank !== 0,
    contextLength: count(a.contextLength) ?? 0,
    candidates,
  };
}
