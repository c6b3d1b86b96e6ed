/**
 * Sequential Monte Carlo reward-guided decoding (docs/algorithms.md#smc), the bookkeeping only:
 * log-weights, ESS, systematic resampling, the rewards and the particles' lineages. Pure, so it runs
 * the same on any backend and in unit tests with a toy model.
 *
 * Target (our interpretation of Markovic-Voronov et al. 2026, prefix-only variant):
 *   π(y) ∝ Π_t p_T(y_t | y_<t)^α · exp(R(y)),   intermediate γ_t = Π_{s≤t} p_T^α · exp(r_t(y_≤t)).
 * A particle's weight increment for a token y drawn from q:
 *   Δw = α·log p_T(y) − log q(y) + r_t − r_{t−1}   (r = −∞: the particle is dead, w = −∞).
 * With q = softmax(α·log p_T) (the target at temperature 1/α), α·log p_T(y) − log q(y) = log Σ_v p_T(v)^α,
 * independent of y, and exactly 0 at α = 1.
 */

/** log Σ e^{w} over finite and −∞ entries (−∞ when all are −∞). */
export function logSumExp(w: readonly number[]): number {
  let m = -Infinity;
  for (const x of w) if (x > m) m = x;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of w) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** log((1/N) Σ e^{w}): the weight every particle gets after resampling (keeps the evidence estimate). */
export function logMeanExp(w: readonly number[]): number {
  return logSumExp(w) - Math.log(w.length);
}

/** Normalised weights W_i = e^{w_i} / Σ e^{w} (all 0 when every weight is −∞). */
export function normalized(w: readonly number[]): number[] {
  const z = logSumExp(w);
  if (z === -Infinity) return w.map(() => 0);
  return w.map((x) => Math.exp(x - z));
}

/** Effective sample size (Σ e^{w})² / Σ e^{2w}, computed with w − max w; 0 when every weight is −∞, else in [1, N]. */
export function ess(w: readonly number[]): number {
  let m = -Infinity;
  for (const x of w) if (x > m) m = x;
  if (m === -Infinity) return 0;
  let s = 0;
  let s2 = 0;
  for (const x of w) {
    const e = Math.exp(x - m);
    s += e;
    s2 += e * e;
  }
  return Math.min(w.length, Math.max(1, (s * s) / s2));
}

/**
 * Systematic resampling: with W normalised from `w` and one uniform u in [0, 1), the points
 * u_j = (j + u) / N, j = 0 … N − 1; ancestor a_j = the smallest i with cumsum(W)_i > u_j (the last
 * particle with positive weight when rounding leaves cumsum short of 1). Ancestors ascend.
 */
export function systematicResample(w: readonly number[], u: number): number[] {
  if (!(u >= 0 && u < 1)) throw new RangeError(`the resampling uniform must lie in [0, 1), got ${u}`);
  const n = w.length;
  const W = normalized(w);
  let lastPositive = -1;
  W.forEach((x, i) => {
    if (x > 0) lastPositive = i;
  });
  if (lastPositive < 0) throw new RangeError('cannot resample: every weight is −∞');
  const out: number[] = [];
  let i = 0;
  let cum = W[0]!;
  for (let j = 0; j < n; j++) {
    const p = (j + u) / n;
    while (cum <= p && i < lastPositive) {
      i++;
      cum += W[i]!;
    }
    out.push(i);
  }
  return out;
}

/** Which prefix reward the particles carry (docs/algorithms.md#smc, browser rewards). */
export type RewardKind = 'likelihood' | 'keyword' | 'regex' | 'length';

/** A prefix reward r_t of a particle's generated text (the prompt excluded). */
export interface Reward {
  readonly kind: RewardKind;
  /** r of `text` (−∞: forbidden, the particle dies); `finished`: the particle ended (end token or budget). */
  value(text: string, finished: boolean): number;
}

/** Escape a string for a RegExp. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The reward of `kind` with its text (errors say what is wrong with the text):
 * likelihood: r = 0 (only the tempered model, p^α); keyword: r = +1 per comma-separated keyword
 * present as a whole word (case-insensitive); regex: r = −∞ once the pattern matches the text, else 0;
 * length: r = −|words − target| / 10 once the particle has finished, 0 before.
 */
export function makeReward(kind: RewardKind, text: string): Reward {
  switch (kind) {
    case 'likelihood':
      return { kind, value: () => 0 };
    case 'keyword': {
      const words = text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      if (words.length === 0) throw new RangeError('rewardText: the keyword reward needs at least one keyword (comma-separated), got none');
      const res = words.map((k) => new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(k)}(?![\\p{L}\\p{N}_])`, 'iu'));
      return { kind, value: (t) => res.filter((re) => re.test(t)).length };
    }
    case 'regex': {
      if (text.length === 0) throw new RangeError('rewardText: the regex reward needs a forbidden pattern, got an empty text');
      let re: RegExp;
      try {
        re = new RegExp(text, 'u');
      } catch (e) {
        throw new RangeError(`rewardText: not a valid regular expression (${e instanceof Error ? e.message : String(e)})`);
      }
      return { kind, value: (t) => (re.test(t) ? -Infinity : 0) };
    }
    case 'length': {
      const target = Number(text.trim());
      if (text.trim() === '' || !Number.isInteger(target) || target < 1 || target > 10000) {
        throw new RangeError(`rewardText: the length reward needs a target word count (an integer from 1 to 10000), got ${JSON.stringify(text)}`);
      }
      return { kind, value: (t, finished) => (finished ? -Math.abs(countWords(t) - target) / 10 : 0) };
    }
  }
}

/** Words of a text: runs of non-space characters. */
export function countWords(t: string): number {
  return t.split(/\s+/).filter((w) => w.length > 0).length;
}

/** One particle: its new tokens, text, log-weight, reward and the lane that drew each of its tokens. */
export interface Particle {
  tokens: number[];
  text: string;
  logw: number;
  /** r_t of its text. */
  reward: number;
  /** running: proposes; finished: ended with the end token or at the budget (frozen); dead: Φ = 0. */
  state: 'running' | 'finished' | 'dead';
  /** Per token: the lane (particle index at that step) that drew it. */
  lanes: number[];
}

/** What one lane did at one step (lane j: particle j during the step, before resampling). */
export interface LaneLog {
  /** Lane of the previous step this particle's prefix ended in (its ancestor); −1 at step 0. */
  parent: number;
  /** Token drawn this step, or null for a frozen (finished / dead) particle. */
  id: number | null;
  text: string;
  /** log p_T(y) and log q(y) of the drawn token (0 for a frozen one). */
  lp: number;
  lq: number;
  /** Reward increment and weight increment; the log-weight after it (before resampling). */
  dr: number;
  dw: number;
  logw: number;
  reward: number;
  state: Particle['state'];
}

/** One step of the particle system. */
export interface StepLog {
  step: number;
  lanes: LaneLog[];
  /** ESS after the weight update (before resampling). */
  ess: number;
  /** Ancestors a_j chosen by systematic resampling after the step, or null when it did not resample. */
  ancestors: number[] | null;
}

export interface SmcConfig {
  particles: number;
  /** Resample when ESS < essThreshold · N. */
  essThreshold: number;
  /** α = 1 / temperature. */
  alpha: number;
  reward: Reward;
  /** Where the tokens are drawn from: the target at temperature 1/α, or a draft model. */
  proposal: 'target' | 'draft';
  maxNewTokens: number;
  eos: ReadonlySet<number>;
}

/** What a step's proposal reports for one running particle. */
export interface Proposal {
  id: number;
  /** log p_T(y | prefix) and log q(y | prefix). */
  lp: number;
  lq: number;
  /** Text of the token after the particle's prefix. */
  text: string;
}

/** The particle system: call `advance` with each running particle's proposal, then `resampleIfNeeded`. */
export class SmcState {
  particles: Particle[];
  readonly steps: StepLog[] = [];
  step = 0;
  done = false;
  resamplings = 0;
  /** Ancestors of the last resampling, not yet consumed by the next step's lane parents. */
  private pendingParents: number[] | null = null;

  constructor(readonly c: SmcConfig) {
    if (!Number.isInteger(c.particles) || c.particles < 1) throw new RangeError(`particles must be an integer ≥ 1, got ${c.particles}`);
    if (!(c.essThreshold >= 0 && c.essThreshold <= 1)) throw new RangeError(`essThreshold must lie in [0, 1], got ${c.essThreshold}`);
    if (!(c.alpha > 0 && Number.isFinite(c.alpha))) throw new RangeError(`α (1 / temperature) must be a positive number, got ${c.alpha}`);
    this.particles = Array.from({ length: c.particles }, () => ({ tokens: [], text: '', logw: 0, reward: 0, state: 'running' as const, lanes: [] }));
  }

  /** Indices of the particles that propose this step. */
  running(): number[] {
    return this.particles.flatMap((p, i) => (p.state === 'running' ? [i] : []));
  }

  /**
   * Apply one step: `proposals[i]` for every running particle i (others ignored). Updates the weights,
   * freezes particles at the end token / budget, kills Φ = 0 ones; throws when every particle is dead.
   */
  advance(proposals: ReadonlyMap<number, Proposal> | readonly (Proposal | undefined)[]): StepLog {
    if (this.done) throw new Error('the particle system is done');
    const get = (i: number) => (proposals instanceof Map ? proposals.get(i) : (proposals as readonly (Proposal | undefined)[])[i]);
    const parents = this.pendingParents;
    this.pendingParents = null;
    const atBudget = this.step + 1 >= this.c.maxNewTokens;
    const lanes = this.particles.map((p, j): LaneLog => {
      const parent = this.step === 0 ? -1 : (parents?.[j] ?? j);
      if (p.state !== 'running') return { parent, id: null, text: '', lp: 0, lq: 0, dr: 0, dw: 0, logw: p.logw, reward: p.reward, state: p.state };
      const q = get(j);
      if (!q) throw new Error(`no proposal for running particle ${j}`);
      p.tokens.push(q.id);
      p.lanes.push(j);
      p.text += q.text;
      const finished = this.c.eos.has(q.id) || atBudget;
      const r = this.c.reward.value(p.text, finished);
      const dr = r - p.reward;
      // Target proposal: α·log p_T(y) − log q(y) = log Σ_v p_T(v)^α, exactly 0 at α = 1 (not left to rounding).
      const dModel = this.c.proposal === 'target' && this.c.alpha === 1 ? 0 : this.c.alpha * q.lp - q.lq;
      const dw = r === -Infinity ? -Infinity : dModel + dr;
      p.reward = r;
      p.logw = p.logw + dw;
      if (r === -Infinity || Number.isNaN(p.logw)) {
        p.logw = -Infinity;
        p.state = 'dead';
      } else if (finished) p.state = 'finished';
      return { parent, id: q.id, text: q.text, lp: q.lp, lq: q.lq, dr: r === -Infinity ? -Infinity : dr, dw, logw: p.logw, reward: r, state: p.state };
    });
    const w = this.particles.map((p) => p.logw);
    const log: StepLog = { step: this.step, lanes, ess: ess(w), ancestors: null };
    this.steps.push(log);
    this.step++;
    if (w.every((x) => x === -Infinity)) {
      this.done = true;
      throw new AllDeadError(this.step, this.c.reward.kind);
    }
    if (this.particles.every((p) => p.state !== 'running')) this.done = true;
    return log;
  }

  /** True when the last step's ESS is below essThreshold · N and the run goes on (then draw the uniform and call resample). */
  needsResampling(): boolean {
    const last = this.steps.at(-1);
    return !this.done && last !== undefined && last.ess < this.c.essThreshold * this.c.particles;
  }

  /** Systematic resampling with uniform u: copies the ancestors' particles, all weights = log-mean-exp. Returns the ancestors. */
  resample(u: number): number[] {
    const w = this.particles.map((p) => p.logw);
    const a = systematicResample(w, u);
    const lw = logMeanExp(w);
    this.particles = a.map((i) => {
      const p = this.particles[i]!;
      return { ...p, tokens: [...p.tokens], lanes: [...p.lanes], logw: p.state === 'dead' ? -Infinity : lw };
    });
    this.steps.at(-1)!.ancestors = a;
    this.pendingParents = a;
    this.resamplings++;
    return a;
  }

  /** The particles that can still be the output (finite weight). */
  alive(): Particle[] {
    return this.particles.filter((p) => p.logw > -Infinity);
  }

  /**
   * The output: the highest-weight completion, where particles with the same tokens (copies made by
   * resampling) pool their weights; ties → the lowest particle index. Its first particle is returned.
   */
  best(): { particle: Particle; index: number } {
    const W = normalized(this.particles.map((p) => p.logw));
    const pooled = new Map<string, { index: number; weight: number }>();
    this.particles.forEach((p, i) => {
      const key = p.tokens.join(',');
      const g = pooled.get(key);
      if (g) g.weight += W[i]!;
      else pooled.set(key, { index: i, weight: W[i]! });
    });
    let b: { index: number; weight: number } | null = null;
    for (const g of pooled.values()) if (!b || g.weight > b.weight || (g.weight === b.weight && g.index < b.index)) b = g;
    return { particle: this.particles[b!.index]!, index: b!.index };
  }

  /** Tokens every particle that can still be the output shares (the whole best particle once done). */
  settledPrefix(): number[] {
    if (this.done) return this.best().particle.tokens;
    const all = this.alive().map((p) => p.tokens);
    if (all.length === 0) return [];
    const out: number[] = [];
    for (let i = 0; ; i++) {
      const id = all[0]![i];
      if (id === undefined || !all.every((t) => t[i] === id)) return out;
      out.push(id);
    }
  }
}

/** Every particle has weight −∞ (each violated the regex reward): the run fails with this message. */
export class AllDeadError extends Error {
  constructor(
    readonly step: number,
    reward: RewardKind,
  ) {
    super(`every particle has weight −∞ after step ${step} (the ${reward} reward forbade all of them): no text satisfies it here; loosen the pattern or add particles`);
  }
}
