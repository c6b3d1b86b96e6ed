/** Speculative / prompt-lookup annotations (`kind: 'speculative'`, ../annotations.ts), fields read defensively. */
import type { DraftFate, DraftRecord, EmitFate, SpeculativeAnnotations } from '../annotations';
import { count, list, num, numOrNull, obj, oneOf, str } from '../../../app/annotations/read';

/** Why a speculative token was emitted; what happened to one drafted token. */
export type { DraftFate, EmitFate };

/** One drafted token of an iteration: p = target, q = draft probability, r = the uniform draw (null: greedy). */
export type DraftView = Omit<DraftRecord, 'r'> & { r: number | null };

/**
 * The speculative detail of one emitted token (protocol's SpeculativeAnnotations, with r, drafts
 * null when absent; `match` undefined when the token carries none, null for a step without a match).
 */
export type SpeculativeView = Omit<SpeculativeAnnotations, 'kind' | 'r' | 'drafts' | 'match'> & {
  r: number | null;
  drafts: DraftView[] | null;
  match: { start: number; n: number } | null | undefined;
};

/** One drafted token's record read defensively (undefined when it is not one). */
export function draftOf(v: unknown): DraftView | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const fate = oneOf(o?.fate, ['accepted', 'rejected', 'discarded'] as const);
  const q = num(o?.q);
  if (!o || id === undefined || !fate || q === undefined) return undefined;
  const text = str(o.text);
  return { id, fate, p: numOrNull(o.p) ?? null, q, r: num(o.r) ?? null, ...(text === undefined ? {} : { text }) };
}

/** The fates an emitted token of a speculative iteration can have. */
export const EMIT_FATES: readonly EmitFate[] = ['accepted', 'resampled', 'bonus'];

/**
 * The per-token verification figures every speculative family records (p, q, the uniform r, and the
 * run's α and τ so far), read defensively; shared with multi-draft's view.
 */
export function verificationOf(a: Readonly<Record<string, unknown>>): { p: number | null; q: number | null; r: number | null; alpha: number | null; tau: number | null } {
  return {
    p: numOrNull(a.p) ?? null,
    q: numOrNull(a.q) ?? null,
    r: num(a.r) ?? null,
    alpha: numOrNull(a.alpha) ?? null,
    tau: numOrNull(a.tau) ?? null,
  };
}

function matchOf(v: unknown): { start: number; n: number } | null | undefined {
  if (v === null) return null;
  const o = obj(v);
  const start = count(o?.start);
  const n = count(o?.n);
  return start !== undefined && n !== undefined ? { start, n } : undefined;
}

/** The speculative view of a token's annotations, or null when they are not speculative ones. */
export function speculativeView(a: Readonly<Record<string, unknown>>): SpeculativeView | null {
  if (a.kind !== 'speculative') return null;
  const iteration = count(a.iteration);
  const fate = oneOf(a.fate, EMIT_FATES);
  const k = count(a.k);
  const drafted = count(a.drafted);
  const acceptedInIteration = count(a.acceptedInIteration);
  if (iteration === undefined || !fate || k === undefined || drafted === undefined || acceptedInIteration === undefined) return null;
  return {
    iteration,
    fate,
    k,
    drafted,
    acceptedInIteration,
    ...verificationOf(a),
    drafts: list(a.drafts, draftOf, 64) ?? null,
    match: 'match' in a ? matchOf(a.match) : undefined,
  };
}

/** min(1, p/q): the probability that a draft with target p and draft q is accepted. */
export function acceptanceRatio(p: number, q: number): number {
  if (q <= 0) return p > 0 ? 1 : 0;
  return Math.min(1, p / q);
}
