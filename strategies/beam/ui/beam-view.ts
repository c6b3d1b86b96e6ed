/** Beam search annotations (`kind: 'beam'`, ../annotations.ts), fields read defensively. */
import type { BeamAnnotations, BeamCandidate, BeamFinished } from '../annotations';
import { bool, count, list, num, obj, oneOf, str } from '../../../app/annotations/read';

/** Beam search at one token. */
export type BeamView = Omit<BeamAnnotations, 'kind'>;

const FATES = ['kept', 'finished', 'pruned'] as const;
const STOPS = ['no better hypothesis possible', 'early stopping', 'budget', 'end of sequence'] as const;

function candidate(v: unknown): BeamCandidate | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const fate = oneOf(o?.fate, FATES);
  const score = num(o?.score);
  if (id === undefined || !fate || score === undefined) return undefined;
  return { id, text: str(o?.text) ?? '', group: count(o?.group) ?? 0, parent: count(o?.parent) ?? 0, onOutput: bool(o?.onOutput) ?? false, lp: num(o?.lp) ?? 0, penalty: num(o?.penalty) ?? 0, score, fate };
}

function finished(v: unknown): BeamFinished | undefined {
  const o = obj(v);
  const score = num(o?.score);
  if (score === undefined) return undefined;
  return { text: str(o?.text) ?? '', sum: num(o?.sum) ?? 0, length: count(o?.length) ?? 0, score, group: count(o?.group) ?? 0, output: bool(o?.output) ?? false };
}

/** The beam view of a token's annotations, or null. */
export function beamView(a: Readonly<Record<string, unknown>>): BeamView | null {
  if (a.kind !== 'beam') return null;
  const step = count(a.step);
  const rank = count(a.rank);
  if (step === undefined || rank === undefined) return null;
  const view: BeamView = {
    step,
    lp: num(a.lp) ?? 0,
    sum: num(a.sum) ?? 0,
    rank,
    numBeams: count(a.numBeams) ?? 1,
    groups: count(a.groups) ?? 1,
    candidates: list(a.candidates, candidate, 256) ?? [],
  };
  const f = list(a.finished, finished, 64);
  if (f) view.finished = f;
  const stop = oneOf(a.stop, STOPS);
  if (stop) view.stop = stop;
  return view;
}
