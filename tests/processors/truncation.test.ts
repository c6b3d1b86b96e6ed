import { describe, expect, it } from 'vitest';
import { keepCpu } from '../../kernels/reference/sample';
import { expExponent, weightOf } from '../../kernels/reference/sampleExp';
import { epsilonFixed, etaMargin, massThreshold } from '../../kernels/reference/sampleMath';
import { entropyStat } from '../../kernels/reference/warpers';
import { planStages } from '../../kernels/ops/sampleStages';
import { WARPERS } from '../../kernels/warpers';
import { listStrategies } from '../../strategies/registry';
import { Rng } from '../../workers/rng';
import { chainParams, GREEDY_CHAIN, parseChain, type ChainParams } from '../../workers/processors/chain';
import { processChainCpu } from '../support/chain-reference';
import { entropyNats, hfChain, hfEpsilon, hfEta, hfEtaCut, hfTopK, hfTypical, keptIds, softmax } from './hf';

// Epsilon and eta sampling (docs/algorithms.md#epsilon, #eta): our integer reading against a
// float64 transcription of Hugging Face's EpsilonLogitsWarper and EtaLogitsWarper.

const OFF = { topK: 0, topP: 1, minP: 0 };
const eps = (epsilonCutoff: number) => ({ ...OFF, epsilonCutoff });
const eta = (etaCutoff: number) => ({ ...OFF, etaCutoff });
const kept = (z: number[], warp: Record<string, number>) => keptIds(keepCpu(Float32Array.from(z), warp as never).y);

function uniforms(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** A row of n f32 logits, Gaussian-ish with a given scale, some -inf. */
function randomRow(rand: () => number, n: number, scale: number, masked: number): number[] {
  return Array.from({ length: n }, () => (rand() < masked ? -Infinity : Math.fround((rand() + rand() + rand() - 1.5) * scale)));
}

/** ε log-uniform in [3e-5, 0.3] (around the paper's ranges and well above them). */
function randomEpsilon(rand: () => number): number {
  return Math.exp(Math.log(3e-5) + rand() * Math.log(0.3 / 3e-5));
}

/** The entropy (nats) the integer statistic stands for: ln 2 · (h / 2^16 − 31 + log2 W), W the mass. */
function statEntropy(z: number[]): number {
  const ymax = Math.max(...z);
  const ids = keptIds(z);
  const w = z.map((v) => weightOf(v, ymax));
  const t = z.map((v) => (v === -Infinity ? 0 : Math.floor(expExponent(Math.fround(v - ymax)) / 256)));
  const h = entropyStat(ids, w, t)!;
  const mass = ids.reduce((s, i) => s + w[i]!, 0);
  return Math.LN2 * (h / 65536 - 31 + Math.log2(mass));
}

/** Smallest |ln(p_i / cut)| over the finite entries: how close a token lies to the cutoff. */
function logDistance(z: number[], cut: number): number {
  return Math.min(...softmax(z).flatMap((q) => (q > 0 ? [Math.abs(Math.log(q / cut))] : [])));
}

describe('epsilon and eta: the fixed vectors of ALGORITHMS.md §6.1', () => {
  const z = [0.5, 0.3, 0.1, 0.1].map(Math.log);

  it('epsilon 0.15 keeps {0, 1}; 0.6 keeps {0} (min_tokens_to_keep)', () => {
    expect(kept(z, eps(0.15))).toEqual([0, 1]);
    expect(kept(z, eps(0.6))).toEqual([0]);
    expect(keptIds(hfEpsilon(z, 0.15))).toEqual([0, 1]);
    expect(keptIds(hfEpsilon(z, 0.6))).toEqual([0]);
  });

  it('eta 0.15: H = 1.168 nats, η = min(0.15, √0.15 · e^−H) = 0.1204, keeps {0, 1}', () => {
    expect(entropyNats(z)).toBeCloseTo(1.1683, 4);
    expect(hfEtaCut(z, 0.15)).toBeCloseTo(0.1204, 4);
    expect(kept(z, eta(0.15))).toEqual([0, 1]);
    expect(keptIds(hfEta(z, 0.15))).toEqual([0, 1]);
    // The code's form, not the docstring's: at ε = 0.32, √ε · e^−H = 0.176 keeps {0, 1}, while
    // √(ε · e^−H) = 0.315 (then η = 0.315) would keep {0}, as epsilon 0.32 does.
    expect(hfEtaCut(z, 0.32)).toBeCloseTo(0.1759, 4);
    expect(kept(z, eta(0.32))).toEqual([0, 1]);
    expect(kept(z, eps(0.32))).toEqual([0]);
  });

  it('eta keeps what epsilon keeps at the same ε (η ≤ ε), more when the entropy is low', () => {
    // p = [0.9, 0.05, 0.05]: H = 0.394, √0.08 · e^−H = 0.1907 > 0.08 → η = 0.08 = ε.
    const peaked = [0.9, 0.05, 0.05].map(Math.log);
    expect(kept(peaked, eta(0.08))).toEqual(kept(peaked, eps(0.08)));
    expect(kept(peaked, eps(0.08))).toEqual([0]);
  });

  it('is the identity when off (0)', () => {
    const rand = uniforms(3);
    for (let r = 0; r < 20; r++) {
      const y = Float32Array.from(randomRow(rand, 100, 3, 0.1));
      if (!y.some((v) => v !== -Infinity)) continue;
      expect(keepCpu(y, { ...OFF, epsilonCutoff: 0, etaCutoff: 0 })).toEqual(keepCpu(y, OFF));
    }
  });

  it('never leaves zero finite logits and keeps every token tied at the top', () => {
    const rand = uniforms(5);
    for (let r = 0; r < 200; r++) {
      const z = randomRow(rand, 2 + Math.floor(rand() * 50), 0.2 + rand() * 10, rand() * 0.5);
      if (!z.some((v) => v !== -Infinity)) continue;
      const top = Math.max(...z);
      const tops = keptIds(z).filter((i) => z[i] === top);
      for (const warp of [eps(0.999999), eta(0.999999), eps(0.5), eta(0.5)]) {
        const ids = kept(z, warp);
        expect(ids.length).toBeGreaterThanOrEqual(1);
        for (const i of tops) expect(ids).toContain(i);
      }
    }
    expect(kept([1, 1, 0, 1], eps(0.6))).toEqual([0, 1, 3]);
    expect(keptIds(hfEpsilon([1, 1, 0, 1], 0.6))).toEqual([0, 1, 3]);
  });
});

describe('epsilon and eta against the float64 Hugging Face formulas', () => {
  // Rows of 2..400 tokens and a few 32k rows, ε log-uniform; every row is compared. A token may be
  // decided differently only at the documented integer boundary: its probability within 1e-6
  // (relative) of ε, or, for eta, |ln(p / η)| within the row's entropy-statistic error |ΔH| + 1e-5.
  it('keeps the same set on random rows except at the integer boundary (counted, few)', () => {
    const rand = uniforms(11);
    let rows = 0;
    let maxDeltaH = 0;
    const boundary = { epsilon: 0, eta: 0 };
    const unexplained: string[] = [];
    for (let r = 0; r < 1200; r++) {
      const n = r < 6 ? 32_000 : 2 + Math.floor(rand() * 400);
      const z = randomRow(rand, n, 0.5 + rand() * 8, rand() * 0.3);
      if (keptIds(z).length === 0) continue;
      rows++;
      const e = randomEpsilon(rand);
      const deltaH = Math.abs(statEntropy(z) - entropyNats(z));
      maxDeltaH = Math.max(maxDeltaH, deltaH);
      const probs = softmax(z);
      const cases = [
        { name: 'epsilon' as const, ours: kept(z, eps(e)), hf: keptIds(hfEpsilon(z, e)), cut: e, tol: 1e-6 },
        { name: 'eta' as const, ours: kept(z, eta(e)), hf: keptIds(hfEta(z, e)), cut: hfEtaCut(z, e), tol: deltaH + 1e-5 },
      ];
      for (const c of cases) {
        const differ = [...c.ours.filter((i) => !c.hf.includes(i)), ...c.hf.filter((i) => !c.ours.includes(i))];
        if (differ.length === 0) continue;
        boundary[c.name]++;
        const far = differ.filter((i) => Math.abs(Math.log(probs[i]! / c.cut)) > c.tol && Math.abs(Math.log(probs[i]! / e)) > 1e-6);
        if (far.length) unexplained.push(`${c.name} row ${r}: n=${n} ε=${e} ids ${far.slice(0, 3).join(',')}`);
      }
    }
    console.log(`epsilon/eta vs HF: ${rows} rows; boundary disagreements epsilon ${boundary.epsilon}, eta ${boundary.eta}; max |H_stat − H| = ${maxDeltaH.toExponential(2)} nats`);
    expect(rows).toBeGreaterThan(1100);
    expect(unexplained).toEqual([]);
    expect(boundary.epsilon + boundary.eta).toBeLessThan(rows * 0.01);
    expect(maxDeltaH).toBeLessThan(1e-3);
  });

  it('the rows remove something: the comparison is not trivially "keep all"', () => {
    const rand = uniforms(12);
    let removed = 0;
    for (let r = 0; r < 100; r++) {
      const z = randomRow(rand, 300, 4, 0);
      if (kept(z, eta(9e-4)).length < 300) removed++;
    }
    expect(removed).toBeGreaterThan(90);
  });

  it('the entropy statistic misses the tokens with weight < 2^8: bounded on a long tail', () => {
    // One token at 0 and 30 000 at −17 (w ≈ 89 < 256): the tail carries 1.2e-3 of the mass and
    // 0.022 nats of entropy that the statistic does not see.
    const z = [0, ...Array.from({ length: 30_000 }, () => -17)];
    const dH = entropyNats(z) - statEntropy(z);
    console.log(`long tail: H = ${entropyNats(z).toFixed(4)} nats, statistic ${statEntropy(z).toFixed(4)}, ΔH = ${dH.toExponential(2)}`);
    expect(dH).toBeGreaterThan(0);
    expect(dH).toBeLessThan(0.03);
  });
});

describe('the integer forms', () => {
  it('w ≥ ⌈W · εq / 2^32⌉ ⟺ w · 2^32 ≥ εq · W, exactly', () => {
    const rand = uniforms(21);
    for (let r = 0; r < 2000; r++) {
      const mass = Math.floor(rand() * 2 ** 53);
      const q = epsilonFixed(rand());
      const t = massThreshold(mass, q);
      for (const w of [t - 1, t, t + 1]) {
        if (w < 0) continue;
        expect(w >= t, `W=${mass} q=${q} w=${w}`).toBe(BigInt(w) << 32n >= BigInt(mass) * BigInt(q));
      }
    }
    expect(epsilonFixed(1e-12)).toBe(1);
    expect(epsilonFixed(0.999_999_999_99)).toBe(0xffffffff);
    expect(epsilonFixed(0.25)).toBe(2 ** 30);
  });

  it('eta margin c = round(−2^15 · log2 ε) (u32 for every ε > 0)', () => {
    expect(etaMargin(0.25)).toBe(65536);
    expect(etaMargin(2 ** -10)).toBe(5 * 65536);
    expect(etaMargin(Number.MIN_VALUE)).toBeLessThan(2 ** 26);
  });
});

describe('the GPU plan of the mass stages', () => {
  it('epsilon: massChunk, massFinish, mask; eta: the entropy passes first, its margin in arg2', () => {
    const { slots, steps } = planStages({ n: 10 }, { ...OFF, epsilonCutoff: 3e-4, etaCutoff: 4e-3 });
    expect(steps.map((s) => s.pass)).toEqual(['massChunk', 'massFinish', 'stageMask', 'entropyChunk', 'entropyFinish', 'massChunk', 'massFinish', 'stageMask']);
    const [e, h] = [slots[steps[0]!.slot]!, slots[steps[3]!.slot]!];
    expect(e).toMatchObject({ kind: 3, arg: epsilonFixed(3e-4), arg2: 0, flags: 0 });
    expect(h).toMatchObject({ kind: 3, arg: epsilonFixed(4e-3), arg2: etaMargin(4e-3), flags: 1 });
    expect(planStages({ n: 10 }, { ...OFF, epsilonCutoff: 0, etaCutoff: 0 }).steps).toEqual([]);
  });
});

describe('epsilon and eta in the chain', () => {
  it('after typical-p removed the argmax, keep the largest *kept* logit (as HF does)', () => {
    // One token far above a wide field: typical-p 0.5 removes it (tests/processors/typical.test.ts).
    const z = [4, ...Array.from({ length: 200 }, (_, i) => -i / 200)];
    for (const [name, value] of [['epsilonCutoff', 0.9], ['etaCutoff', 0.9], ['etaCutoff', 0.01]] as const) {
      const chain: ChainParams = { ...GREEDY_CHAIN, temperature: 1, typicalP: 0.5, [name]: value };
      const ours = keptIds(processChainCpu(Float32Array.from(z), chain, []).y);
      expect(ours, `${name} ${value}`).toEqual(keptIds(hfChain(z, chain, [])));
      expect(ours).not.toContain(0);
      expect(ours.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('are chain parameters of every strategy, off by default, validated', () => {
    for (const name of ['epsilonCutoff', 'etaCutoff']) {
      expect(chainParams().find((p) => p.name === name)).toMatchObject({ type: 'number', default: 0, min: 0, max: 1, maxExclusive: true });
      expect(parseChain({})[name]).toBe(0);
      expect(parseChain({ [name]: 3e-4 })[name]).toBe(3e-4);
      expect(() => parseChain({ [name]: 1 })).toThrow(new RegExp(`${name} must be a number in \\[0, 1\\), got 1$`));
    }
    expect(WARPERS.map((w) => w.param.name)).toEqual(['topK', 'topP', 'minP', 'typicalP', 'epsilonCutoff', 'etaCutoff']);
  });

  it('every strategy that takes the warpers lists epsilon then eta right after typical-p', () => {
    const withWarpers = listStrategies().filter((s) => s.params.some((p) => p.name === 'topP'));
    expect(withWarpers.length).toBeGreaterThanOrEqual(5);
    for (const s of withWarpers) {
      const names = s.params.map((p) => p.name);
      expect(names.indexOf('epsilonCutoff'), s.id).toBe(names.indexOf('typicalP') + 1);
      expect(names.indexOf('etaCutoff'), s.id).toBe(names.indexOf('typicalP') + 2);
    }
  });

  it('runs after top-k (on the renormalised set), as HF does; the order matters on this row', () => {
    const z = [0.4, 0.3, 0.2, 0.1].map(Math.log);
    const chain: ChainParams = { ...GREEDY_CHAIN, temperature: 1, topK: 3, epsilonCutoff: 0.21 };
    const ours = keptIds(processChainCpu(Float32Array.from(z), chain, []).y);
    expect(ours).toEqual(keptIds(hfChain(z, chain, [])));
    expect(ours).toEqual([0, 1, 2]); // after top-k p₂ = 0.222 ≥ 0.21
    expect(keptIds(hfTopK(hfEpsilon(z, 0.21), 3))).toEqual([0, 1]);
  });

  it('typical-p → epsilon → eta on random rows equals the HF chain away from the cutoffs', () => {
    const rand = uniforms(31);
    let compared = 0;
    for (let r = 0; r < 300; r++) {
      const z = randomRow(rand, 2 + Math.floor(rand() * 200), 1 + rand() * 5, 0.1);
      if (keptIds(z).length === 0) continue;
      const chain: ChainParams = { ...GREEDY_CHAIN, temperature: 0.7 + rand(), typicalP: 0.95, epsilonCutoff: randomEpsilon(rand), etaCutoff: randomEpsilon(rand) };
      const t = z.map((v) => v / chain.temperature);
      const a = hfTypical(t, 0.95);
      const b = hfEpsilon(a, chain.epsilonCutoff as number);
      // Skip rows where any stage's decision is within rounding (typical's own near-ties included).
      if (logDistance(a, chain.epsilonCutoff as number) < 1e-5 || logDistance(b, hfEtaCut(b, chain.etaCutoff as number)) < 2e-3) continue;
      // ... and rows where our typical-p alone already differs from HF's (its documented near-ties).
      const typicalOnly = keptIds(processChainCpu(Float32Array.from(z), { ...chain, epsilonCutoff: 0, etaCutoff: 0 }, []).y);
      if (JSON.stringify(typicalOnly) !== JSON.stringify(keptIds(a))) continue;
      const ours = keptIds(processChainCpu(Float32Array.from(z), chain, []).y);
      const hf = keptIds(hfChain(z, chain, []));
      compared++;
      expect(ours, `row ${r}`).toEqual(hf);
    }
    expect(compared).toBeGreaterThan(250);
  });
});
