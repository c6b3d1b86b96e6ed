/** Contrastive-decoding annotations (`kind: 'contrastive'`, ../annotations.ts), fields read defensively. */
import { bool, count, list, num, obj, oneOf } from '../../../app/annotations/read';

/** A token id with a probability. */
export interface ProbEntry {
  id: number;
  prob: number;
}

/** One model's raw view at the step: the chosen token's probability, its greedy pick's, its top list. */
export interface ModelSide {
  prob: number;
  maxProb: number;
  top: ProbEntry[];
}

/** Contrastive decoding at one step: expert vs amateur. */
export interface ContrastiveView {
  form: 'logit' | 'logprob';
  alpha: number;
  beta: number | null;
  /** |V_head|, the tokens passing the plausibility mask. */
  vHead: number;
  expertGreedy: number;
  departed: boolean;
  sampled: boolean;
  scores: { id: number; score: number }[];
  expert: ModelSide;
  amateur: ModelSide;
}

function entry(v: unknown): ProbEntry | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const prob = num(o?.prob);
  return id !== undefined && prob !== undefined ? { id, prob } : undefined;
}

function side(v: unknown): ModelSide | undefined {
  const o = obj(v);
  const prob = num(o?.prob);
  const maxProb = num(o?.maxProb);
  if (!o || prob === undefined || maxProb === undefined) return undefined;
  return { prob, maxProb, top: list(o.top, entry, 64) ?? [] };
}

function score(v: unknown): { id: number; score: number } | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const s = num(o?.score);
  return id !== undefined && s !== undefined ? { id, score: s } : undefined;
}

/** The contrastive-decoding view of a token's annotations, or null. */
export function contrastiveView(a: Readonly<Record<string, unknown>>): ContrastiveView | null {
  if (a.kind !== 'contrastive') return null;
  const expert = side(a.expert);
  const amateur = side(a.amateur);
  const expertGreedy = count(a.expertGreedy);
  const departed = bool(a.departed);
  if (!expert || !amateur || expertGreedy === undefined || departed === undefined) return null;
  return {
    form: oneOf(a.form, ['logit', 'logprob'] as const) ?? 'logit',
    alpha: num(a.alpha) ?? NaN,
    beta: num(a.beta) ?? null,
    vHead: count(a.vHead) ?? 0,
    expertGreedy,
    departed,
    sampled: bool(a.sampled) ?? false,
    scores: list(a.scores, score, 64) ?? [],
    expert,
    amateur,
  };
}
