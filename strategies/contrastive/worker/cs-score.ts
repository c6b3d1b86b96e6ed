import type { HiddenContext } from './hidden-context';

/** One contrastive-search candidate: a top-k token, its model probability and its hidden state. */
export interface CsCandidate {
  id: number;
  /** p(v | x_<t): the model's softmax probability of the token, in [0, 1]. */
  prob: number;
  /** Last-layer hidden state [d] obtained by feeding the token at position t. */
  hidden: ArrayLike<number>;
}

/** A candidate with its SimCTG terms. */
export interface CsScored {
  id: number;
  prob: number;
  /** max_j cos(h_v, h_j) over the context, in [−1, 1]. */
  degeneration: number;
  /** The context position j the candidate is most similar to (0 = first prompt token). */
  similarTo: number;
  /** (1 − α)·p − α·degeneration. */
  score: number;
}

/** Every candidate scored, and the index of the chosen one. */
export interface CsChoice {
  scored: CsScored[];
  /** Index into `scored` of the highest score; ties go to the earlier candidate. */
  winner: number;
}

/**
 * SimCTG selection (Su et al. 2022, https://arxiv.org/abs/2202.06417): score(v) = (1−α)·p(v) −
 * α·max_j cos(h_v, h_j), argmax over the candidates. Candidates come in top-k order (logit
 * descending, ties to the lower id), so ties keep the more probable token and α = 0 is greedy.
 */
export function scoreCandidates(candidates: CsCandidate[], context: HiddenContext, alpha: number): CsChoice {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  if (candidates.length === 0) throw new RangeError('candidates must not be empty');
  const scored = candidates.map((c) => {
    if (!(c.prob >= 0 && c.prob <= 1)) throw new RangeError(`candidate ${c.id}: prob must be in [0, 1], got ${c.prob}`);
    const sim = context.mostSimilar(c.hidden);
    // With α = 0 the penalty term is dropped outright so the score is exactly p.
    const score = alpha === 0 ? c.prob : (1 - alpha) * c.prob - alpha * sim.value;
    return { id: c.id, prob: c.prob, degeneration: sim.value, similarTo: sim.position, score };
  });
  let winner = 0;
  scored.forEach((s, i) => {
    if (s.score > scored[winner]!.score) winner = i;
  });
  return { scored, winner };
}
