import { describe, expect, it } from 'vitest';
import { fusedArgmaxCpu, fusedArgmaxFromTop, planFusion, topMedian, validateFusion, type FusionSettings, type RawRow } from '../../strategies/grad/worker/fusion-plan';
import { TransitionGraph, type GraphRow } from '../../strategies/grad/worker/graph';
import { mulberry32 } from '../../workers/rng';

const V = 64;

const rng = mulberry32;

/** Naive raw statistics of a row (f64), computed here independently of the code under test. */
function rawOf(z: number[]): RawRow {
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((s, x) => s + Math.exp(x - max), 0));
  const entropy = -z.reduce((s, x) => s + Math.exp(x - lse) * (x - lse), 0);
  return { max, lse, entropy, topLogits: [...z].sort((a, b) => b - a).slice(0, 50), vocab: z.length };
}

function argmax(z: number[]): number {
  let best = 0;
  z.forEach((v, i) => v > z[best]! && (best = i));
  return best;
}

function randomRow(r: () => number, scale = 6): number[] {
  return Array.from({ length: V }, () => (r() - 0.5) * 2 * scale);
}

/**
 * A max-normalised graph row over random successors with weights spread over (0, 1] (some at 1);
 * with `withOne`, that id is present with g = 1.
 */
function randomGraphRow(r: () => number, withOne?: number): GraphRow {
  const w = new Map<number, number>();
  for (let j = 0; j < 12; j++) w.set(Math.floor(r() * V), r() < 0.2 ? 1 : 0.01 + 0.99 * r());
  if (withOne !== undefined) w.set(withOne, 1);
  if (![...w.values()].includes(1)) w.set([...w.keys()][0]!, 1);
  const ids = [...w.keys()].sort((a, b) => a - b);
  return { ids, values: ids.map((id) => w.get(id)!) };
}

const A: FusionSettings = { variant: 'A', lambda: 1, lambdaB: 0.3, gamma: 0.5 };

describe('topMedian', () => {
  it('is the middle value of the top min(50, n) logits', () => {
    expect(topMedian([5, 4, 3])).toBe(4);
    expect(topMedian([5, 4, 3, 1])).toBe(3.5);
    const sixty = Array.from({ length: 60 }, (_, i) => 60 - i); // 60..1: top 50 are 60..11
    expect(topMedian(sixty)).toBe((36 + 35) / 2);
    expect(() => topMedian([])).toThrow(/at least one/);
  });
});

describe('planFusion', () => {
  it('A: λₜ = λ·H/ln|V| and S = max − median; a uniform row gets λₜ = λ', () => {
    const flat = new Array<number>(V).fill(0.5);
    const p = planFusion({ ...A, lambda: 2 }, rawOf(flat));
    expect(p.lambdaT).toBeCloseTo(2, 9);
    expect(p.scale).toBe(0);
    const z = randomRow(rng(1));
    const raw = rawOf(z);
    const q = planFusion({ ...A, lambda: 0.7 }, raw);
    expect(q.lambdaT).toBeCloseTo((0.7 * raw.entropy) / Math.log(V), 12);
    expect(q.scale).toBeCloseTo(raw.max - topMedian(raw.topLogits), 12);
    expect(q.graphScale).toBeCloseTo(q.lambdaT * q.scale, 12);
  });

  it('C: fuses with λ only when max p < γ', () => {
    const peaked = [10, ...new Array<number>(V - 1).fill(0)];
    const flat = randomRow(rng(2), 0.1);
    expect(planFusion({ ...A, variant: 'C', lambda: 3 }, rawOf(peaked)).lambdaT).toBe(0);
    expect(planFusion({ ...A, variant: 'C', lambda: 3 }, rawOf(flat)).lambdaT).toBe(3);
  });

  it('B: argmax of (1 − λ)z + λ·max(z)·g equals argmax of z + graphScale·g', () => {
    const r = rng(3);
    for (let t = 0; t < 200; t++) {
      const z = randomRow(r);
      const g = randomGraphRow(r);
      const lambdaB = r() * 0.99;
      const m = Math.max(...z);
      const gv = new Array<number>(V).fill(0);
      g.ids.forEach((id, i) => (gv[id] = g.values[i]!));
      const direct = argmax(z.map((x, i) => (1 - lambdaB) * x + lambdaB * m * gv[i]!));
      const plan = planFusion({ ...A, variant: 'B', lambdaB }, rawOf(z));
      expect(fusedArgmaxCpu(z, V, g, plan.graphScale)).toBe(direct);
    }
  });

  it('validates its settings naming the parameter and value', () => {
    expect(() => validateFusion({ ...A, lambda: -1 })).toThrow(/lambda must be a finite number ≥ 0, got -1/);
    expect(() => validateFusion({ ...A, lambdaB: 1 })).toThrow(/lambdaB must be in \[0, 1\), got 1/);
    expect(() => validateFusion({ ...A, gamma: 2 })).toThrow(/gamma must be in \[0, 1\], got 2/);
    expect(() => validateFusion({ ...A, variant: 'D' as 'A' })).toThrow(/variant must be one of A, B, C, got "D"/);
  });
});

describe('fusion oracles (docs/algorithms.md#grad-oracles)', () => {
  it('λ = 0 is the identity for every variant', () => {
    const r = rng(4);
    for (let t = 0; t < 200; t++) {
      const z = randomRow(r);
      const g = randomGraphRow(r);
      for (const variant of ['A', 'B', 'C'] as const) {
        const plan = planFusion({ variant, lambda: 0, lambdaB: 0, gamma: 1 }, rawOf(z));
        expect(plan.graphScale).toBe(0);
        expect(fusedArgmaxCpu(z, V, g, plan.graphScale)).toBe(argmax(z));
      }
    }
  });

  it('an empty corpus (no graph row) is the identity at any scale', () => {
    const r = rng(5);
    const empty = new TransitionGraph();
    for (let t = 0; t < 100; t++) {
      const z = randomRow(r);
      expect(empty.normalizedRow(Math.floor(r() * V))).toBeNull();
      expect(fusedArgmaxCpu(z, V, null, 1e6)).toBe(argmax(z));
    }
  });

  it('g = 1 at the model argmax leaves the choice unchanged under A for every λ', () => {
    const r = rng(6);
    for (let t = 0; t < 200; t++) {
      const z = randomRow(r);
      const g = randomGraphRow(r, argmax(z));
      expect(g.values[g.ids.indexOf(argmax(z))]).toBe(1);
      for (const lambda of [0, 0.1, 1, 3, 10, 1000]) {
        const plan = planFusion({ ...A, lambda }, rawOf(z));
        expect(fusedArgmaxCpu(z, V, g, plan.graphScale)).toBe(argmax(z));
      }
    }
  });

  it('a strong graph term can flip the choice (the property above is not vacuous)', () => {
    const r = rng(7);
    let flips = 0;
    for (let t = 0; t < 100; t++) {
      const z = randomRow(r);
      const plan = planFusion({ ...A, lambda: 10 }, rawOf(z));
      if (fusedArgmaxCpu(z, V, randomGraphRow(r), plan.graphScale) !== argmax(z)) flips++;
    }
    expect(flips).toBeGreaterThan(10);
  });
});

describe('fusedArgmaxFromTop', () => {
  it('agrees with the full-row argmax whenever it answers, and always answers under A with λ ≤ 1', () => {
    const r = rng(8);
    const big = 200;
    for (let t = 0; t < 300; t++) {
      const z = Array.from({ length: big }, () => (r() - 0.5) * 12);
      const g = new TransitionGraph();
      for (let j = 0; j < 30; j++) g.add(0, Math.floor(r() * big), r() * 4 + 0.01);
      const row = g.normalizedRow(0)!;
      const order = z.map((v, id) => ({ v, id })).sort((a, b) => b.v - a.v || a.id - b.id).slice(0, 50);
      const lambda = r() * 3;
      const raw = { ...rawOf(z), vocab: big };
      const plan = planFusion({ ...A, lambda }, raw);
      const quick = fusedArgmaxFromTop(order.map((o) => o.id), order.map((o) => o.v), row, plan.graphScale, false);
      if (lambda <= 1) expect(quick).not.toBeNull();
      if (quick !== null) expect(quick).toBe(fusedArgmaxCpu(z, big, row, plan.graphScale));
    }
  });
});
