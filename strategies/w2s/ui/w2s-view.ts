/** Weak-to-strong annotations (`kind: 'w2s'`, ../annotations.ts), fields read defensively. */
import type { W2sAnnotations, W2sEntry, W2sProvenance } from '../annotations';
import { bool, count, list, num, obj, oneOf, str } from '../../../app/annotations/read';

export type { W2sProvenance };

/** The weak-to-strong view of one token. */
export type W2sView = Omit<W2sAnnotations, 'kind'>;

const PROVENANCES: readonly W2sProvenance[] = ['flipped', 'agreed'];

function entry(v: unknown): W2sEntry | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const p = num(o?.p);
  if (id === undefined || p === undefined) return undefined;
  return { id, text: str(o?.text) ?? '', p };
}

const entries = (v: unknown) => list(v, entry, 64) ?? [];

/** The weak-to-strong view of a token's annotations, or null. */
export function w2sView(a: Readonly<Record<string, unknown>>): W2sView | null {
  if (a.kind !== 'w2s') return null;
  const provenance = oneOf(a.provenance, PROVENANCES);
  const alpha = num(a.alpha);
  const choice = obj(a.largeChoice);
  const choiceId = count(choice?.id);
  if (!provenance || alpha === undefined || choiceId === undefined) return null;
  const top = obj(a.top);
  const view: W2sView = {
    provenance,
    alpha,
    dynamic: bool(a.dynamic) ?? true,
    kappa: num(a.kappa) ?? 0,
    kl: num(a.kl) ?? 0,
    curve: list(a.curve, num, 64) ?? [],
    grid: list(a.grid, num, 64) ?? [],
    sampled: bool(a.sampled) ?? false,
    processedProb: num(a.processedProb) ?? 0,
    largeChoice: { id: choiceId, text: str(choice?.text) ?? '', prob: num(choice?.prob) ?? 0 },
    top: { large: entries(top?.large), small: entries(top?.small), expert: entries(top?.expert), fused: entries(top?.fused) },
  };
  const ctx = obj(a.expertContext);
  const tokens = count(ctx?.tokens);
  if (tokens !== undefined) view.expertContext = { tokens, sharesSmall: bool(ctx?.sharesSmall) ?? false };
  return view;
}
