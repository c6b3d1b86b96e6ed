/** DoLa annotations (`kind: 'dola'`, ../annotations.ts), fields read defensively. */
import type { DolaAnnotations, DolaCandidate } from '../annotations';
import { bool, count, list, num, numOrNull, obj, str } from '../../../app/annotations/read';

/** DoLa at one token. */
export type DolaView = Omit<DolaAnnotations, 'kind'>;

function candidate(v: unknown): DolaCandidate | undefined {
  const o = obj(v);
  const layer = count(o?.layer);
  if (layer === undefined) return undefined;
  return { layer, divergence: numOrNull(o?.divergence) ?? null, jsd: numOrNull(o?.jsd) ?? null };
}

function scoreEntry(v: unknown): { id: number; score: number } | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const score = num(o?.score);
  return id === undefined || score === undefined ? undefined : { id, score };
}

function topEntry(v: unknown): { id: number; text: string; prob: number } | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const prob = num(o?.prob);
  return id === undefined || prob === undefined ? undefined : { id, text: str(o?.text) ?? '', prob };
}

/** The DoLa view of a token's annotations, or null. */
export function dolaView(a: Readonly<Record<string, unknown>>): DolaView | null {
  if (a.kind !== 'dola') return null;
  const premature = count(a.premature);
  const mature = count(a.mature);
  const candidates = list(a.candidates, candidate, 256);
  if (premature === undefined || mature === undefined || !candidates) return null;
  const modelGreedy = count(a.modelGreedy) ?? -1;
  return {
    candidates,
    premature,
    mature,
    alpha: num(a.alpha) ?? 0,
    plausible: count(a.plausible) ?? 0,
    modelGreedy,
    departed: bool(a.departed) ?? false,
    sampled: bool(a.sampled) ?? false,
    scores: list(a.scores, scoreEntry, 64) ?? [],
    matureProb: num(a.matureProb) ?? 0,
    prematureProb: num(a.prematureProb) ?? 0,
    prematureTop: list(a.prematureTop, topEntry, 64) ?? [],
  };
}
