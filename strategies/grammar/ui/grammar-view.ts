/** Grammar annotations (`kind: 'grammar'`, ../annotations.ts), fields read defensively. */
import type { GrammarAnnotations, GrammarBar, GrammarSampleCount } from '../annotations';
import { bool, count, list, num, obj, oneOf, str } from '../../../app/annotations/read';

/** The grammar view of one token. */
export type GrammarView = Omit<GrammarAnnotations, 'kind'>;

function bar(v: unknown): GrammarBar | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const p = num(o?.p);
  const pTheta = num(o?.pTheta);
  return id === undefined || p === undefined || pTheta === undefined ? undefined : { id, text: str(o?.text) ?? '', p, pTheta };
}

function sampleCount(v: unknown): GrammarSampleCount | undefined {
  const o = obj(v);
  const c = count(o?.count);
  return c === undefined ? undefined : { text: str(o?.text) ?? '', grammatical: bool(o?.grammatical) ?? false, count: c };
}

/** The grammar view of a token's annotations, or null. */
export function grammarView(a: Readonly<Record<string, unknown>>): GrammarView | null {
  if (a.kind !== 'grammar') return null;
  const provenance = oneOf(a.provenance, ['model choice', 'forced by grammar', 'grammar end'] as const);
  const state = count(a.state);
  const allowed = count(a.allowed);
  const mt = obj(a.modelTop);
  if (!provenance || state === undefined || allowed === undefined) return null;
  const as = obj(a.asap);
  return {
    provenance,
    mode: oneOf(a.mode, ['gcd', 'asap'] as const) ?? 'gcd',
    state,
    nextState: count(a.nextState) ?? state,
    accepting: bool(a.accepting) ?? false,
    allowed,
    vocab: count(a.vocab) ?? 0,
    removedMass: num(a.removedMass) ?? 0,
    modelTop: { id: count(mt?.id) ?? -1, text: str(mt?.text) ?? '', prob: num(mt?.prob) ?? 0, allowed: bool(mt?.allowed) ?? true },
    processedProb: num(a.processedProb) ?? 0,
    sampled: bool(a.sampled) ?? false,
    visitedStates: count(a.visitedStates) ?? 0,
    asap: as
      ? {
          sample: count(as.sample) ?? 0,
          samples: count(as.samples) ?? 0,
          theta: num(as.theta) ?? 0,
          lostMass: num(as.lostMass) ?? 0,
          bars: list(as.bars, bar, 64) ?? [],
          trieNodes: count(as.trieNodes) ?? 0,
          forwards: count(as.forwards) ?? 0,
          distribution: as.distribution === undefined ? undefined : (list(as.distribution, sampleCount, 256) ?? []),
        }
      : undefined,
  };
}
