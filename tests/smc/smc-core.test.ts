import { describe, expect, it } from 'vitest';
import { ess, logMeanExp, makeReward, normalized, SmcState, systematicResample, type Proposal, type Reward } from '../../strategies/smc/worker/smc-core';
import { Rng } from '../../workers/rng';

/** A toy two-step LM over V = 3: p(y1) and p(y2 | y1). */
const P1 = [0.5, 0.3, 0.2];
const P2 = [
  [0.1, 0.6, 0.3],
  [0.7, 0.2, 0.1],
  [0.25, 0.25, 0.5],
];
const pOf = (prefix: number[]) => (prefix.length === 0 ? P1 : P2[prefix[0]!]!);

/** Inverse-CDF draw over ids in order. */
function draw(p: readonly number[], u: number): number {
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    c += p[i]!;
    if (u < c) return i;
  }
  return p.length - 1;
}

/** A potential on the text (tokens as letters a, b, c): r(y1) and r(y1 y2). */
function potential(r: (t: string) => number): Reward {
  return { kind: 'keyword', value: (t) => r(t) };
}
const R = (t: string) => (t === 'a' ? 0 : t === 'b' ? 0.7 : t === 'c' ? -0.5 : t.endsWith('c') ? 1.2 : t === 'ba' ? -Infinity : 0);
const letter = (id: number) => 'abc'[id]!;

/** A draft for the toy: other probabilities over the same support. */
const D1 = [0.2, 0.2, 0.6];
const D2 = [
  [0.4, 0.3, 0.3],
  [0.3, 0.3, 0.4],
  [0.6, 0.2, 0.2],
];
const dOf = (prefix: number[]) => (prefix.length === 0 ? D1 : D2[prefix[0]!]!);

/** Run the particle system on the toy with the target proposal q ∝ p^α, or the draft (q = d). */
function runToy(n: number, alpha: number, threshold: number, reward: Reward, seed: number, proposal: 'target' | 'draft' = 'target'): SmcState {
  const s = new SmcState({ particles: n, essThreshold: threshold, alpha, reward, proposal, maxNewTokens: 2, eos: new Set() });
  const rng = new Rng(seed);
  while (!s.done) {
    const props: (Proposal | undefined)[] = [];
    for (const j of s.running()) {
      const p = pOf(s.particles[j]!.tokens);
      const q = proposal === 'draft' ? dOf(s.particles[j]!.tokens) : p.map((x) => Math.pow(x, alpha));
      const z = q.reduce((a, b) => a + b, 0);
      const id = draw(
        q.map((x) => x / z),
        rng.next(),
      );
      props[j] = { id, lp: Math.log(p[id]!), lq: Math.log(q[id]! / z), text: letter(id) };
    }
    s.advance(props);
    if (s.needsResampling()) s.resample(rng.next());
  }
  return s;
}

/** Brute-force γ(y1, y2) ∝ p^α · exp(r), normalised. */
function bruteForce(alpha: number, r: (t: string) => number): number[][] {
  const g = P1.map((a, i) => P2[i]!.map((b, j) => Math.pow(a * b, alpha) * Math.exp(r(letter(i) + letter(j)))));
  const z = g.flat().reduce((a, b) => a + b, 0);
  return g.map((row) => row.map((x) => x / z));
}

/** Pearson chi-square of counts against probabilities (cells with p = 0 must be empty). */
function chiSquare(counts: number[], p: number[], n: number): number {
  return counts.reduce((acc, c, i) => (p[i]! === 0 ? (c === 0 ? acc : Infinity) : acc + (c - n * p[i]!) ** 2 / (n * p[i]!)), 0);
}

describe('SMC: weights, ESS and systematic resampling', () => {
  it('ESS is N for equal weights, 1 for one finite weight, and always in [1, N]', () => {
    expect(ess([0, 0, 0, 0])).toBe(4);
    expect(ess([-Infinity, 3, -Infinity])).toBe(1);
    const rng = new Rng(7);
    for (let t = 0; t < 500; t++) {
      const n = 1 + Math.floor(rng.next() * 16);
      const w = Array.from({ length: n }, () => (rng.next() < 0.2 ? -Infinity : (rng.next() - 0.5) * 60));
      if (w.every((x) => x === -Infinity)) w[0] = 0;
      const e = ess(w);
      expect(e).toBeGreaterThanOrEqual(1);
      expect(e).toBeLessThanOrEqual(n);
    }
  });

  it('systematic resampling with equal weights is the identity ancestry, for any uniform', () => {
    for (const u of [0, 0.1, 0.5, 0.999999]) expect(systematicResample([2, 2, 2, 2, 2], u)).toEqual([0, 1, 2, 3, 4]);
  });

  it('systematic resampling follows the exact rule: a_j = smallest i with cumsum(W)_i > (j + u)/N', () => {
    // W = [0.1, 0.6, 0.3], u = 0.5: points 1/6, 1/2, 5/6 → cumsum 0.1, 0.7, 1.0 → 1, 1, 2.
    expect(systematicResample([0.1, 0.6, 0.3].map(Math.log), 0.5)).toEqual([1, 1, 2]);
    expect(systematicResample([0.1, 0.6, 0.3].map(Math.log), 0.0)).toEqual([0, 1, 1]);
    expect(systematicResample([-Infinity, 0, -Infinity], 0.3)).toEqual([1, 1, 1]);
    expect(() => systematicResample([0, 0], 1)).toThrow(/\[0, 1\)/);
    expect(() => systematicResample([-Infinity, -Infinity], 0.2)).toThrow(/every weight is −∞/);
  });

  it('log-mean-exp and the normalised weights', () => {
    expect(logMeanExp([Math.log(1), Math.log(3)])).toBeCloseTo(Math.log(2), 12);
    expect(normalized([0, Math.log(3)])).toEqual([0.25, 0.75]);
  });
});

describe('SMC: the oracles on a toy LM', () => {
  it('constant reward with the target proposal at α = 1: every Δw is exactly 0, weights equal, ESS = N, never resamples', () => {
    const s = runToy(16, 1, 0.99, makeReward('likelihood', ''), 3);
    expect(s.steps).toHaveLength(2);
    for (const log of s.steps) {
      expect(log.lanes.every((l) => l.dw === 0)).toBe(true);
      expect(log.ess).toBe(16);
      expect(log.ancestors).toBeNull();
    }
    expect(s.resamplings).toBe(0);
    expect(new Set(s.particles.map((p) => p.logw))).toEqual(new Set([0]));
  });

  it('α ≠ 1 with a constant reward: Δw = log Σ p^α, the same for every particle (no resampling)', () => {
    const s = runToy(8, 2, 0.5, makeReward('likelihood', ''), 4);
    const want = Math.log(P1.reduce((a, x) => a + x * x, 0));
    for (const l of s.steps[0]!.lanes) expect(l.dw).toBeCloseTo(want, 12);
    expect(s.steps[0]!.ess).toBeCloseTo(8, 9);
  });

  it('the weighted particles estimate P(y1) under γ ∝ p^α·exp(r) within 0.02 of brute force (N = 1e4, with resampling)', () => {
    for (const alpha of [1, 2]) {
      const s = runToy(10000, alpha, 0.9, potential(R), 11 + alpha);
      const W = normalized(s.particles.map((p) => p.logw));
      const est = [0, 0, 0];
      s.particles.forEach((p, i) => (est[p.tokens[0]!]! += W[i]!));
      const g = bruteForce(alpha, R);
      g.forEach((row, i) => expect(Math.abs(est[i]! - row.reduce((a, b) => a + b, 0))).toBeLessThan(0.02));
      expect(s.resamplings).toBeGreaterThan(0);
    }
  });

  it('the draft proposal (importance weights α·log p_T − log q) estimates the same P(y1) within 0.02 (N = 1e4)', () => {
    for (const alpha of [1, 2]) {
      const s = runToy(10000, alpha, 0.5, potential(R), 21 + alpha, 'draft');
      const W = normalized(s.particles.map((p) => p.logw));
      const est = [0, 0, 0];
      s.particles.forEach((p, i) => (est[p.tokens[0]!]! += W[i]!));
      bruteForce(alpha, R).forEach((row, i) => expect(Math.abs(est[i]! - row.reduce((a, b) => a + b, 0))).toBeLessThan(0.02));
      expect(s.steps[0]!.ess).toBeLessThan(10000);
    }
  });

  it('the final particles, resampled once by weight, match the target by chi-square (and fail it against plain p)', () => {
    const n = 20000;
    const s = runToy(n, 1, 0.5, potential(R), 5);
    const a = systematicResample(
      s.particles.map((p) => p.logw),
      new Rng(99).next(),
    );
    const counts = Array.from({ length: 9 }, () => 0);
    for (const i of a) {
      const t = s.particles[i]!.tokens;
      counts[t[0]! * 3 + t[1]!]!++;
    }
    const g = bruteForce(1, R).flat();
    // 8 degrees of freedom: P(χ² > 26.1) ≈ 0.001.
    expect(chiSquare(counts, g, n)).toBeLessThan(26.1);
    const plain = P1.flatMap((x, i) => P2[i]!.map((y) => x * y));
    expect(chiSquare(counts, plain, n)).toBeGreaterThan(26.1);
  });

  it('with a constant reward the particles are exact target samples (chi-square on the toy)', () => {
    const n = 20000;
    const s = runToy(n, 1, 0.5, makeReward('likelihood', ''), 8);
    const counts = Array.from({ length: 9 }, () => 0);
    for (const p of s.particles) counts[p.tokens[0]! * 3 + p.tokens[1]!]!++;
    expect(chiSquare(counts, bruteForce(1, () => 0).flat(), n)).toBeLessThan(26.1);
  });

  it('a forbidden prefix gets w = −∞ and dies; when every particle dies the step throws a clear error', () => {
    const s = new SmcState({ particles: 2, essThreshold: 0.5, alpha: 1, reward: makeReward('regex', 'b'), proposal: 'target', maxNewTokens: 4, eos: new Set() });
    s.advance([
      { id: 0, lp: -1, lq: -1, text: 'a' },
      { id: 1, lp: -1, lq: -1, text: 'b' },
    ]);
    expect(s.particles[1]!.logw).toBe(-Infinity);
    expect(s.particles[1]!.state).toBe('dead');
    expect(s.steps[0]!.ess).toBe(1);
    expect(s.settledPrefix()).toEqual([0]);
    expect(() => s.advance([{ id: 1, lp: -1, lq: -1, text: 'b' }])).toThrow(/every particle has weight −∞ after step 2 \(the regex reward/);
  });

  it('finished particles freeze: no proposal, Δw = 0, their weight kept', () => {
    const s = new SmcState({ particles: 2, essThreshold: 0, alpha: 1, reward: makeReward('likelihood', ''), proposal: 'target', maxNewTokens: 5, eos: new Set([9]) });
    s.advance([
      { id: 9, lp: -1, lq: -1, text: '.' },
      { id: 3, lp: -1, lq: -1, text: 'x' },
    ]);
    expect(s.running()).toEqual([1]);
    const log = s.advance([undefined, { id: 9, lp: -1, lq: -1, text: '.' }]);
    expect(log.lanes[0]).toMatchObject({ id: null, dw: 0, state: 'finished' });
    expect(s.done).toBe(true);
  });
});

describe('SMC: rewards', () => {
  it('keyword: +1 per keyword present as a whole word, case-insensitive', () => {
    const r = makeReward('keyword', 'cat, Dog');
    expect(r.value('The cat sat', false)).toBe(1);
    expect(r.value('A DOG and a cat.', false)).toBe(2);
    expect(r.value('catalog', false)).toBe(0);
  });

  it('regex: −∞ once the pattern matches; length: −|words − target|/10 only once finished', () => {
    expect(makeReward('regex', '\\bdog\\b').value('a dog', false)).toBe(-Infinity);
    expect(makeReward('regex', '\\bdog\\b').value('a cat', false)).toBe(0);
    const len = makeReward('length', '5');
    expect(len.value('one two three', false)).toBe(0);
    expect(len.value('one two three', true)).toBeCloseTo(-0.2, 12);
  });

  it('bad reward texts are refused with a message that says what is wrong', () => {
    expect(() => makeReward('regex', '(')).toThrow(/rewardText: not a valid regular expression/);
    expect(() => makeReward('regex', '')).toThrow(/needs a forbidden pattern/);
    expect(() => makeReward('length', 'ten')).toThrow(/target word count \(an integer from 1 to 10000\), got "ten"/);
    expect(() => makeReward('keyword', ' , ')).toThrow(/at least one keyword/);
  });
});

describe('SMC: the output', () => {
  it('is the highest-weight completion, copies pooling their weights (ties → the lowest index)', () => {
    const s = new SmcState({ particles: 3, essThreshold: 0, alpha: 1, reward: makeReward('likelihood', ''), proposal: 'target', maxNewTokens: 1, eos: new Set() });
    s.advance([
      { id: 4, lp: -1, lq: -1, text: 'x' },
      { id: 5, lp: -1, lq: -1, text: 'y' },
      { id: 5, lp: -1, lq: -1, text: 'y' },
    ]);
    expect(s.best().index).toBe(1);
    s.particles[0]!.logw = 1;
    expect(s.best().index).toBe(0);
  });
});
