/** Superposed decoding annotations (`kind: 'superposed'`, ../annotations.ts), fields read defensively. */
import type { SuperposedAnnotations, SuperposedCandidate, SuperposedDraft } from '../annotations';
import { bool, count, list, num, numOrNull, obj, oneOf, str } from '../../../app/annotations/read';

/** Superposed decoding at one token. */
export type SuperposedView = Omit<SuperposedAnnotations, 'kind'>;

function draftRow(v: unknown): SuperposedDraft | undefined {
  const o = obj(v);
  const score = num(o?.score);
  return score === undefined ? undefined : { text: str(o?.text) ?? '', score, weight: num(o?.weight) ?? 0 };
}

function mixRow(v: unknown): { id: number; text: string; weight: number } | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const weight = num(o?.weight);
  return id === undefined || weight === undefined ? undefined : { id, text: str(o?.text) ?? '', weight };
}

function candidate(v: unknown): SuperposedCandidate | undefined {
  const o = obj(v);
  const draft = count(o?.draft);
  const id = count(o?.id);
  const score = num(o?.score);
  const fate = oneOf(o?.fate, ['kept', 'finished', 'pruned'] as const);
  if (draft === undefined || id === undefined || score === undefined || !fate) return undefined;
  return {
    draft,
    id,
    text: str(o?.text) ?? '',
    lmProb: num(o?.lmProb) ?? 0,
    ngram: numOrNull(o?.ngram) ?? null,
    step: num(o?.step) ?? 0,
    score,
    penalized: bool(o?.penalized) ?? false,
    fate,
    onOutput: bool(o?.onOutput) ?? false,
  };
}

/** The superposed view of a token's annotations, or null. */
export function superposedView(a: Readonly<Record<string, unknown>>): SuperposedView | null {
  if (a.kind !== 'superposed') return null;
  const step = count(a.step);
  const k = count(a.k);
  const candidates = list(a.candidates, candidate, 64);
  const drafts = list(a.drafts, draftRow, 16);
  if (step === undefined || k === undefined || !candidates || !drafts) return null;
  const view: SuperposedView = {
    step,
    k,
    tokenSample: count(a.tokenSample) ?? 0,
    temperature: num(a.temperature) ?? 0,
    alpha: num(a.alpha) ?? 0,
    mix: list(a.mix, mixRow, 16) ?? [],
    drafts,
    draft: count(a.draft) ?? 0,
    rank: count(a.rank) ?? 0,
    lmProb: num(a.lmProb) ?? 0,
    ngram: numOrNull(a.ngram) ?? null,
    stepScore: num(a.stepScore) ?? 0,
    score: num(a.score) ?? 0,
    candidates,
  };
  const f = obj(a.final);
  if (f) {
    const stop = oneOf(f.stop, ['end of sequence', 'budget', 'no draft left'] as const);
    if (stop) view.final = { running: list(f.running, draftRow, 16) ?? [], finished: list(f.finished, draftRow, 16) ?? [], stop };
  }
  const c = obj(a.corpus);
  const passages = count(c?.passages);
  if (c && passages !== undefined) view.corpus = { passages, tokens: count(c.tokens) ?? 0, buildMs: num(c.buildMs) ?? 0 };
  return view;
}
