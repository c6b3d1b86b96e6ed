/**
 * The step of superposed decoding (Shen et al. 2024, docs/algorithms.md#superposed) as pure logic, as
 * released (RAIVNLab/SuperposedDecoding `superposed/llama/superpose.py`): k drafts with log-scores ℓ_d
 * share one forward whose input is the superposition W(v) ∝ Σ_{d: last(d) = v} exp(ℓ_d); from the
 * forward's top tokenSample tokens (softmax(z / T), renormalised: p̃) every draft scores
 *   s_d(v) = (1 − α)·log p̃(v) + α·log g_d(v),
 * (−∞ where g_d(v) = 0; a draft with no n-gram support for any kept token gets (1 − α)·log p̃(v) − penalty),
 * the candidates ℓ_d + s_d(v) are ranked, the top 2k taken: end tokens join the finished list (top k
 * kept), the best k others become the drafts. Our choices (interpretation; the released code decodes a
 * fixed length and returns every draft): α = 0 drops the n-gram term (the released code computes
 * 0·log 0 = NaN there); only kept tokens (finite scores) become candidates; the output follows the best
 * draft: the search ends when the top-ranked candidate is an end token (that finished draft is the
 * output), at the token budget or when no draft is left (the best running draft is the output).
 */

/** Everything a search is configured with. */
export interface SearchConfig {
  /** Drafts k, 1…8. */
  k: number;
  /** Tokens kept from the forward's distribution, n_token_sample. */
  tokenSample: number;
  /** Temperature T of softmax(z / T). */
  temperature: number;
  /** Weight α of the n-gram term. */
  alpha: number;
  /** Subtracted from a draft with no n-gram support for any kept token. */
  penalty: number;
  /** End-of-sequence ids. */
  eos: ReadonlySet<number>;
  /** Token budget: the search ends after this many steps. */
  maxNewTokens: number;
}

/** One draft: its new tokens, score ℓ and, per step, the index of the candidate that made it. */
export interface Draft {
  tokens: number[];
  score: number;
  from: number[];
}

/** What became of a candidate among the top 2k. */
export type CandidateFate = 'kept' | 'finished' | 'pruned';

/** One ranked candidate ℓ_d + s_d(v). */
export interface Candidate {
  /** Draft (index in the drafts before the step) it extends. */
  draft: number;
  id: number;
  /** p̃(v): the kept distribution after temperature, renormalised. */
  lmProb: number;
  /** g_d(v), or null with α = 0 (not looked up). */
  ngram: number | null;
  /** Orders that supported v after this draft (empty: none). */
  orders: number[];
  /** s_d(v) and ℓ_d + s_d(v). */
  step: number;
  score: number;
  /** The draft had no n-gram support for any kept token: s carries −penalty. */
  penalized: boolean;
  fate: CandidateFate;
}

/** One step as the annotations show it. */
export interface StepLog {
  step: number;
  /** The superposition fed (ids with weights summing to 1); empty on the first step (the prompt is fed). */
  mix: { id: number; weight: number }[];
  /** The drafts before the step: tokens, ℓ and their share exp(ℓ_d) / Σ exp(ℓ). */
  drafts: { tokens: number[]; score: number; weight: number }[];
  /** The kept top tokenSample tokens and p̃. */
  kept: { id: number; prob: number }[];
  /** The top 2k candidates, best first. */
  candidates: Candidate[];
}

/** Looks up g_d(v) for the kept ids after a draft's tokens (the prompt is in front of them). */
export type NgramLookup = (draftTokens: readonly number[], ids: readonly number[]) => { g: number; orders: number[] }[];

/** A forward's top logits (descending), at least tokenSample of them. */
export interface TopLogits {
  ids: readonly number[];
  logits: readonly number[];
}

/** Shares exp(ℓ_d) / Σ exp(ℓ) (max-shifted). */
export function draftWeights(scores: readonly number[]): number[] {
  if (scores.length === 0) return [];
  const m = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

/** The superposition: W(v) = Σ_{d: last token of d = v} share_d, ids in first-seen order. */
export function superposition(drafts: readonly Draft[]): { id: number; weight: number }[] {
  const w = draftWeights(drafts.map((d) => d.score));
  const out: { id: number; weight: number }[] = [];
  drafts.forEach((d, i) => {
    const v = d.tokens.at(-1);
    if (v === undefined) throw new Error('superposition needs drafts with at least one token');
    const at = out.find((o) => o.id === v);
    if (at) at.weight += w[i]!;
    else out.push({ id: v, weight: w[i]! });
  });
  return out;
}

/** The top `n` of softmax(z / T) among `top`, renormalised over them. */
export function keptDistribution(top: TopLogits, n: number, temperature: number): { id: number; prob: number }[] {
  const m = Math.min(n, top.ids.length);
  if (m < 1) throw new Error('no logits to keep');
  const zMax = top.logits[0]!;
  const e = Array.from({ length: m }, (_, i) => Math.exp((top.logits[i]! - zMax) / temperature));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x, i) => ({ id: top.ids[i]!, prob: x / z }));
}

/** The search state and its step. */
export class SuperposedSearch {
  live: Draft[] = [{ tokens: [], score: 0, from: [] }];
  /** Finished drafts (ending with an end token), best first, at most k. */
  finished: Draft[] = [];
  step = 0;
  done = false;
  private output: Draft | null = null;

  constructor(readonly c: SearchConfig) {}

  /** The input of the next forward: null on the first step (the prompt), else the superposition. */
  nextMix(): { id: number; weight: number }[] | null {
    return this.step === 0 ? null : superposition(this.live);
  }

  /** Advance by one forward's top logits; returns the step's log. */
  advance(top: TopLogits, ngram: NgramLookup): StepLog {
    if (this.done) throw new Error('the search has ended');
    const { k, alpha, penalty } = this.c;
    const mix = this.nextMix() ?? [];
    const kept = keptDistribution(top, this.c.tokenSample, this.c.temperature);
    const ids = kept.map((t) => t.id);
    const weights = draftWeights(this.live.map((d) => d.score));
    const drafts = this.live.map((d, i) => ({ tokens: [...d.tokens], score: d.score, weight: weights[i]! }));
    // The first step ranks only draft 0's row (every draft is the prompt then).
    const rows = this.step === 0 ? this.live.slice(0, 1) : this.live;
    const all: Omit<Candidate, 'fate'>[] = [];
    rows.forEach((d, di) => {
      const sup = alpha > 0 ? ngram(d.tokens, ids) : null;
      const supported = sup ? sup.some((s) => s.g > 0) : true;
      kept.forEach((t, j) => {
        const lp = Math.log(t.prob);
        let s: number;
        let penalized = false;
        if (!sup) s = lp;
        else if (!supported) {
          s = (1 - alpha) * lp - penalty;
          penalized = true;
        } else s = sup[j]!.g > 0 ? (1 - alpha) * lp + alpha * Math.log(sup[j]!.g) : -Infinity;
        if (s === -Infinity) return;
        all.push({ draft: di, id: t.id, lmProb: t.prob, ngram: sup ? sup[j]!.g : null, orders: sup ? sup[j]!.orders : [], step: s, score: d.score + s, penalized });
      });
    });
    // Best first; ties: lower draft, then the more probable token (the order they were listed in).
    const ranked = all.map((c, i) => ({ c, i })).sort((a, b) => b.c.score - a.c.score || a.i - b.i).slice(0, 2 * k);
    const nextLive: Draft[] = [];
    const finished = [...this.finished];
    const made: Draft[] = [];
    const candidates: Candidate[] = ranked.map(({ c }, j) => {
      const parent = this.live[c.draft]!;
      const draft: Draft = { tokens: [...parent.tokens, c.id], score: c.score, from: [...parent.from, j] };
      made.push(draft);
      let fate: CandidateFate;
      if (this.c.eos.has(c.id)) {
        finished.push(draft);
        fate = 'finished';
      } else if (nextLive.length < k) {
        nextLive.push(draft);
        fate = 'kept';
      } else fate = 'pruned';
      return { ...c, fate };
    });
    // The finished list keeps its top k (stable: earlier finished first among equals).
    this.finished = finished
      .map((d, i) => ({ d, i }))
      .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
      .slice(0, k)
      .map((x) => x.d);
    candidates.forEach((c, j) => {
      if (c.fate === 'finished' && !this.finished.includes(made[j]!)) c.fate = 'pruned';
    });
    this.live = nextLive;
    const log: StepLog = { step: this.step, mix, drafts, kept, candidates };
    this.step++;
    // The output follows the best draft: it ends when the top candidate is an end token.
    const lead = made[0];
    if (lead && this.c.eos.has(lead.tokens.at(-1)!)) {
      this.done = true;
      this.output = lead;
    } else if (nextLive.length === 0 || this.step >= this.c.maxNewTokens) {
      this.done = true;
      this.output = nextLive[0] ?? lead ?? null;
    }
    return log;
  }

  /** The output once done, else the best running draft. */
  best(): Draft | null {
    return this.done ? this.output : (this.live[0] ?? null);
  }

  /** Tokens every draft that can still become the output starts with (the running drafts'; all of the output once done). */
  settledPrefix(): number[] {
    if (this.done) return this.best()?.tokens ?? [];
    const pool = this.live;
    if (pool.length === 0) return [];
    const first = pool[0]!.tokens;
    let n = first.length;
    for (const d of pool) {
      let i = 0;
      while (i < n && i < d.tokens.length && d.tokens[i] === first[i]) i++;
      n = i;
    }
    return first.slice(0, n);
  }
}
