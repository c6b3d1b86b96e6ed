/**
 * Beam search and diverse (group) beam search with Hugging Face's semantics
 * (docs/algorithms.md#beam-search): the bookkeeping only, over the top log-probabilities of each
 * beam's row, so it runs the same on any backend and in unit tests with a toy model.
 */

/** How the search stops early (HF `early_stopping`). */
export type EarlyStopping = 'true' | 'false' | 'never';

/** Score of a dead beam / an empty finished slot, as HF uses it. */
export const DEAD = -1e9;

export interface BeamConfig {
  numBeams: number;
  /** λ_L: finished hypotheses rank by S / ℓ^λ_L (ℓ = new tokens, EOS included). */
  lengthPenalty: number;
  earlyStopping: EarlyStopping;
  /** Beams split into this many groups (numBeams divisible by it); 1 = plain beam search. */
  groups: number;
  /** δ, subtracted from a token's log-probability once per earlier group that chose it this step. */
  diversityPenalty: number;
  maxNewTokens: number;
  eos: ReadonlySet<number>;
}

/** The largest log-probabilities of one beam's row, descending (ties → lower id). */
export interface RowTop {
  ids: readonly number[];
  lps: readonly number[];
}

/** A hypothesis: its new tokens, their log-probabilities and its running sum S. */
export interface Hypothesis {
  tokens: number[];
  lps: number[];
  /** Per token, the step's candidate index (into that step's StepLog.candidates) it came from. */
  from: number[];
  sum: number;
}

/** One candidate of a step (it entered its group's top K). */
export interface StepCandidate {
  group: number;
  /** Beam (global index) it extends. */
  parent: number;
  id: number;
  /** Log-probability of the token (after the diversity penalty). */
  lp: number;
  /** Penalty δ·count subtracted from it (0 without groups). */
  penalty: number;
  /** S of the extended hypothesis. */
  score: number;
  /** kept: a running beam next step; finished: became a finished hypothesis; pruned: dropped. */
  fate: 'kept' | 'finished' | 'pruned';
  /** The beam index it occupies next step (kept only). */
  beam: number | null;
}

/** What one step did. */
export interface StepLog {
  step: number;
  candidates: StepCandidate[];
  /** Worst finished score per group when its slots are all filled, else null. */
  worstFinished: (number | null)[];
  done: boolean;
}

/** A finished hypothesis with its normalized score. */
export interface Finished extends Hypothesis {
  score: number;
  group: number;
}

/** HF's top-K size: max(2, 1 + n_eos) · beams. */
export function candidatesPerGroup(beams: number, eosCount: number): number {
  return Math.max(2, 1 + eosCount) * beams;
}

export function checkBeamConfig(c: BeamConfig): void {
  if (!Number.isInteger(c.numBeams) || c.numBeams < 1) throw new RangeError(`numBeams must be an integer ≥ 1, got ${c.numBeams}`);
  if (!Number.isInteger(c.groups) || c.groups < 1 || c.numBeams % c.groups !== 0) throw new RangeError(`numBeamGroups must divide numBeams (${c.numBeams}), got ${c.groups}`);
  if (!Number.isInteger(c.maxNewTokens) || c.maxNewTokens < 1) throw new RangeError(`maxNewTokens must be ≥ 1, got ${c.maxNewTokens}`);
}

/** The search over `numBeams` running beams (global indices; group k holds beams k·g … k·g + g − 1). */
export class BeamSearch {
  /** Running hypotheses, one per beam. */
  live: Hypothesis[];
  /** Running scores (DEAD for the beams that start dead). */
  scores: number[];
  finished: Finished[][];
  groupDone: boolean[];
  done = false;
  step = 0;
  private improvementPossible: boolean[];
  readonly perGroup: number;

  constructor(readonly c: BeamConfig) {
    checkBeamConfig(c);
    this.perGroup = c.numBeams / c.groups;
    this.live = Array.from({ length: c.numBeams }, () => ({ tokens: [], lps: [], from: [], sum: 0 }));
    this.scores = Array.from({ length: c.numBeams }, (_, b) => (b % this.perGroup === 0 ? 0 : DEAD));
    this.finished = Array.from({ length: c.groups }, () => []);
    this.groupDone = Array.from({ length: c.groups }, () => false);
    this.improvementPossible = Array.from({ length: c.groups }, () => true);
  }

  /** Top log-probabilities each row must supply so that the step is exact. */
  get rowTopSize(): number {
    // A row's entries can lose at most one rank per earlier group's token (the penalty only lowers).
    return candidatesPerGroup(this.perGroup, this.c.eos.size) + (this.c.groups > 1 ? this.c.numBeams : 0);
  }

  /**
   * One step: `rows[b]` is beam b's row (the same row object may be shared, e.g. at step 0).
   * Returns the parent beam of every new beam (for the KV gather) and the step's log.
   */
  advance(rows: readonly RowTop[]): { parents: number[]; tokens: number[]; log: StepLog } {
    if (this.done) throw new Error('the search is done');
    if (rows.length !== this.c.numBeams) throw new RangeError(`one row per beam (${this.c.numBeams}), got ${rows.length}`);
    const g = this.perGroup;
    const gen = this.step;
    const k = candidatesPerGroup(g, this.c.eos.size);
    const parents = this.live.map((_, b) => b);
    const tokens = this.live.map((h) => h.tokens.at(-1) ?? -1);
    const nextLive = [...this.live];
    const nextScores = [...this.scores];
    const chosenThisStep = new Map<number, number>();
    const candidates: StepCandidate[] = [];
    for (let group = 0; group < this.c.groups; group++) {
      if (this.groupDone[group]) continue;
      const first = group * g;
      const pool: { b: number; id: number; lp: number; penalty: number; acc: number; flat: number }[] = [];
      for (let j = 0; j < g; j++) {
        const b = first + j;
        const row = rows[b]!;
        row.ids.forEach((id, i) => {
          const penalty = this.c.diversityPenalty * (chosenThisStep.get(id) ?? 0);
          const lp = row.lps[i]! - penalty;
          pool.push({ b, id, lp, penalty, acc: this.scores[b]! + lp, flat: j * 1e9 + id });
        });
      }
      pool.sort((x, y) => y.acc - x.acc || x.flat - y.flat);
      const top = pool.slice(0, k);
      const hits = top.map((t) => this.c.eos.has(t.id) || gen + 1 >= this.c.maxNewTokens);
      const fin = this.finished[group]!;
      const logAt = candidates.length;
      top.forEach((t) => candidates.push({ group, parent: t.b, id: t.id, lp: t.lp, penalty: t.penalty, score: t.acc, fate: 'pruned', beam: null }));
      // Finished: only the first g candidates may finish.
      const allFilled = () => fin.length >= g;
      top.forEach((t, j) => {
        if (!hits[j] || j >= g) return;
        if (this.c.earlyStopping === 'true' && allFilled()) return;
        if (!this.improvementPossible[group]) return;
        const h = this.live[t.b]!;
        const score = t.acc / Math.pow(gen + 1, this.c.lengthPenalty);
        const entry: Finished = { tokens: [...h.tokens, t.id], lps: [...h.lps, t.lp], from: [...h.from, logAt + j], sum: t.acc, score, group };
        if (score <= DEAD) return;
        fin.push(entry);
        fin.sort((a, b) => b.score - a.score);
        if (fin.length > g) fin.length = g;
        if (fin.includes(entry)) candidates[logAt + j]!.fate = 'finished';
      });
      // Running: the best g candidates that hit no stop.
      const running = top.map((t, j) => ({ t, j, r: t.acc + (hits[j] ? DEAD : 0) })).sort((a, b) => b.r - a.r || a.j - b.j).slice(0, g);
      running.forEach(({ t, j, r }, n) => {
        const b = first + n;
        const h = this.live[t.b]!;
        nextLive[b] = { tokens: [...h.tokens, t.id], lps: [...h.lps, t.lp], from: [...h.from, logAt + j], sum: r };
        nextScores[b] = r;
        parents[b] = t.b;
        tokens[b] = t.id;
        if (!hits[j]) Object.assign(candidates[logAt + j]!, { fate: 'kept', beam: b });
        chosenThisStep.set(t.id, (chosenThisStep.get(t.id) ?? 0) + 1);
      });
      // Stop test (HF's early-stop heuristic).
      const worst = allFilled() ? fin[fin.length - 1]!.score : DEAD;
      const best = running[0]?.r ?? DEAD;
      const horizon = this.c.earlyStopping === 'never' && this.c.lengthPenalty > 0 ? this.c.maxNewTokens : gen + 1;
      this.improvementPossible[group] = best / Math.pow(horizon, this.c.lengthPenalty) > worst;
      const everyHit = hits.every(Boolean);
      if (!this.improvementPossible[group] || (this.c.earlyStopping === 'true' && allFilled()) || everyHit || best <= DEAD / 2) this.groupDone[group] = true;
    }
    this.live = nextLive;
    this.scores = nextScores;
    this.step++;
    this.done = this.groupDone.every(Boolean);
    const log: StepLog = { step: gen, candidates, worstFinished: this.finished.map((f) => (f.length >= g ? f[f.length - 1]!.score : null)), done: this.done };
    return { parents, tokens, log };
  }

  /** Finished hypotheses of every group, best first. */
  ranked(): Finished[] {
    return this.finished.flat().sort((a, b) => b.score - a.score);
  }

  /** The output: the best finished hypothesis (once done), or null. */
  best(): Finished | null {
    return this.ranked()[0] ?? null;
  }

  /**
   * Tokens every hypothesis that can still become the output shares: the running beams of groups
   * not done and every finished hypothesis (the final one is among them). When done: the best.
   */
  settledPrefix(): number[] {
    if (this.done) return this.best()?.tokens ?? [];
    const all: number[][] = [];
    this.live.forEach((h, b) => {
      if (!this.groupDone[Math.floor(b / this.perGroup)] && this.scores[b]! > DEAD / 2) all.push(h.tokens);
    });
    for (const f of this.finished.flat()) all.push(f.tokens);
    if (all.length === 0) return [];
    const out: number[] = [];
    for (let i = 0; ; i++) {
      const id = all[0]![i];
      if (id === undefined || !all.every((t) => t[i] === id)) return out;
      out.push(id);
    }
  }
}
