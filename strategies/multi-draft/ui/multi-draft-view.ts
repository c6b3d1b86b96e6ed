/** Multi-draft annotations (`kind: 'multi-draft'`, ../annotations.ts), fields read defensively. */
import type { MultiDraftAnnotations, MultiDraftRoot, RootFate } from '../annotations';
import { draftOf, EMIT_FATES, verificationOf, type DraftView } from '../../speculative/ui/speculative-view';
import { count, list, num, obj, oneOf, str } from '../../../app/annotations/read';

export type { RootFate };

/** One root candidate as the UI reads it. */
export type RootView = Omit<MultiDraftRoot, 'pStage' | 'qStage' | 'r' | 'residualMass'> & { pStage: number | null; qStage: number | null; r: number | null; residualMass: number | null };

/** The multi-draft detail of one emitted token. */
export type MultiDraftView = Omit<MultiDraftAnnotations, 'kind' | 'r' | 'roots' | 'chains'> & {
  r: number | null;
  roots: RootView[] | null;
  chains: DraftView[][] | null;
};

function rootOf(v: unknown): RootView | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const fate = oneOf(o?.fate, ['accepted', 'rejected', 'unverified'] as const);
  const p = num(o?.p);
  const q = num(o?.q);
  if (!o || id === undefined || !fate || p === undefined || q === undefined) return undefined;
  const text = str(o.text);
  return { id, fate, p, q, pStage: num(o.pStage) ?? null, qStage: num(o.qStage) ?? null, r: num(o.r) ?? null, residualMass: num(o.residualMass) ?? null, ...(text === undefined ? {} : { text }) };
}

function chainOf(v: unknown): DraftView[] | undefined {
  return list(v, draftOf, 64);
}

/** The multi-draft view of a token's annotations, or null when they are not multi-draft ones. */
export function multiDraftView(a: Readonly<Record<string, unknown>>): MultiDraftView | null {
  if (a.kind !== 'multi-draft') return null;
  const iteration = count(a.iteration);
  const fate = oneOf(a.fate, EMIT_FATES);
  const k = count(a.k);
  const draftCount = count(a.draftCount);
  const candidates = count(a.candidates);
  const acceptedInIteration = count(a.acceptedInIteration);
  if (iteration === undefined || !fate || k === undefined || draftCount === undefined || candidates === undefined || acceptedInIteration === undefined) return null;
  return {
    iteration,
    fate,
    k,
    draftCount,
    candidates,
    chain: a.chain === null ? null : (count(a.chain) ?? null),
    acceptedInIteration,
    ...verificationOf(a),
    roots: list(a.roots, rootOf, 16) ?? null,
    chains: list(a.chains, chainOf, 16) ?? null,
  };
}
