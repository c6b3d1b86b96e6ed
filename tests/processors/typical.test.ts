import { describe, expect, it } from 'vitest';
import { keepCpu } from '../../kernels/reference/sample';
import { entropyStat } from '../../kernels/reference/warpers';
import { expExponent, weightOf } from '../../kernels/reference/sampleExp';
import { chainParams, GREEDY_CHAIN, parseChain, type ChainParams } from '../../workers/processors/chain';
import { processChainCpu } from '../support/chain-reference';
import { Rng } from '../../workers/rng';
import { listStrategies } from '../../strategies/registry';
import { hfChain, hfMinP, hfTypical, keptIds, softmax } from './hf';

// Typical-p (docs/algorithms.md#typical-p): our fixed-point reading against a float64 transcription
// of Hugging Face's TypicalLogitsWarper.

function uniforms(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** A row of n f32 logits, Gaussian-ish with a given scale, some -inf. */
function randomRow(rand: () => number, n: number, scale: number, masked: number): number[] {
  return Array.from({ length: n }, () => (rand() < masked ? -Infinity : Math.fround((rand() + rand() + rand() - 1.5) * scale)));
}

const warp = (typicalP: number) => ({ topK: 0, topP: 1, minP: 0, typicalP });

/**
 * True when HF's decision is within rounding of flipping: two finite keys |−ln p − H| closer than
 * 1e-4 nats, or a cumulative mass in HF's order within 1e-5 of p.
 */
function nearTie(z: number[], p: number): boolean {
  const probs = softmax(z);
  const h = -probs.reduce((s, q) => (q > 0 ? s + q * Math.log(q) : s), 0);
  const order = probs.flatMap((q, i) => (q > 0 ? [{ q, key: Math.abs(-Math.log(q) - h), i }] : [])).sort((a, b) => a.key - b.key);
  let cum = 0;
  for (let j = 0; j < order.length; j++) {
    if (j > 0 && order[j]!.key - order[j - 1]!.key < 1e-4) return true;
    cum += order[j]!.q;
    if (Math.abs(cum - p) < 1e-5) return true;
  }
  return false;
}

describe('typical-p (our fixed-point reading of HF TypicalLogitsWarper)', () => {
  it('keeps the same set as the float64 HF formula on random rows without near-ties', () => {
    const rand = uniforms(7);
    let compared = 0;
    let agree = 0;
    const disagreeing: string[] = [];
    for (let r = 0; r < 1000; r++) {
      const n = 2 + Math.floor(rand() * 300);
      const z = randomRow(rand, n, 0.5 + rand() * 6, rand() * 0.3);
      if (!z.some((v) => v !== -Infinity)) continue;
      const p = 0.05 + rand() * 0.94;
      const ours = keptIds(keepCpu(Float32Array.from(z), warp(p)).y);
      const hf = keptIds(hfTypical(z, p));
      if (nearTie(z, p)) continue;
      compared++;
      if (JSON.stringify(ours) === JSON.stringify(hf)) agree++;
      else disagreeing.push(`row ${r}: n=${n} p=${p} ours ${ours.length} hf ${hf.length}`);
    }
    expect(compared).toBeGreaterThan(600);
    expect(disagreeing).toEqual([]);
    expect(agree).toBe(compared);
  });

  it('keeps a strict subset on a peaked row, never the empty set', () => {
    const z = [4, 3.5, 3, 1, 0.5, 0, -1, -2, -4, -Infinity];
    for (const p of [1e-9, 0.2, 0.5, 0.9, 0.99]) {
      const kept = keepCpu(Float32Array.from(z), warp(p));
      expect(kept.kept).toBeGreaterThanOrEqual(1);
      expect(keptIds(kept.y)).toEqual(keptIds(hfTypical(z, p)));
    }
    expect(keepCpu(Float32Array.from(z), warp(0.5)).kept).toBeLessThan(9);
  });

  it('can remove the most likely token (atypically likely), as HF does', () => {
    // One token far above a wide field: the entropy is high, the top token's surprisal far below it.
    const z = [4, ...Array.from({ length: 200 }, (_, i) => -i / 200)];
    const kept = keptIds(keepCpu(Float32Array.from(z), warp(0.5)).y);
    expect(kept).toEqual(keptIds(hfTypical(z, 0.5)));
    expect(kept).not.toContain(0);
  });

  it('typicalP = 1 changes nothing', () => {
    const rand = uniforms(3);
    for (let r = 0; r < 20; r++) {
      const y = Float32Array.from(randomRow(rand, 100, 3, 0.1));
      if (!y.some((v) => v !== -Infinity)) continue;
      expect(keepCpu(y, warp(1))).toEqual(keepCpu(y, { topK: 0, topP: 1, minP: 0 }));
    }
  });

  it('the entropy statistic is floor(Σ w′t′ / Σ w′) with w′ = w >> 8, t′ = t >> 8 (exact)', () => {
    const z = [0, -0.3, -1.7, -5, -12, -23, -40];
    const w = z.map((v) => weightOf(v, 0));
    const t = z.map((v) => Math.floor(expExponent(v) / 256));
    let num = 0n;
    let den = 0n;
    z.forEach((_, i) => {
      num += BigInt(w[i]! >>> 8) * BigInt(t[i]!);
      den += BigInt(w[i]! >>> 8);
    });
    expect(entropyStat(z.map((_, i) => i), w, t)).toBe(Number(num / den));
    // t = −log2 p − log2(Σ e^z), so h / 2^16 ≈ the entropy in bits − log2(Σ e^z) (max at 0).
    const probs = softmax(z);
    const bits = -probs.reduce((s, q) => (q > 0 ? s + q * Math.log2(q) : s), 0);
    const offset = Math.log2(z.reduce((s, v) => s + Math.exp(v), 0));
    expect(Math.abs(entropyStat(z.map((_, i) => i), w, t)! / 65536 - (bits - offset))).toBeLessThan(1e-3);
    expect(entropyStat([5, 6], w, t)).toBeNull();
  });
});

describe('typical-p in the chain', () => {
  it('is a chain parameter of every strategy, off by default, validated', () => {
    const entry = chainParams().find((p) => p.name === 'typicalP');
    expect(entry).toMatchObject({ type: 'number', default: 1, min: 0, max: 1 });
    expect(parseChain({}).typicalP).toBe(1);
    expect(parseChain({ typicalP: 0.4 }).typicalP).toBe(0.4);
    expect(() => parseChain({ typicalP: 0 })).toThrow(/typicalP must be a number in \(0, 1\], got 0$/);
    expect(() => parseChain({ typicalP: 1.2 })).toThrow(/typicalP must be a number in \(0, 1\], got 1.2$/);
  });

  it('every strategy that takes the warpers lists typicalP right after minP', () => {
    const withWarpers = listStrategies().filter((s) => s.params.some((p) => p.name === 'topP'));
    expect(withWarpers.length).toBeGreaterThanOrEqual(5);
    for (const s of withWarpers) {
      const names = s.params.map((p) => p.name);
      expect(names.indexOf('typicalP'), s.id).toBe(names.indexOf('minP') + 1);
    }
  });

  it('runs after min-p (HF order), and the order matters on this row', () => {
    const z = [3, 2.9, 2.8, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, -3];
    const chain: ChainParams = { ...GREEDY_CHAIN, temperature: 1, minP: 0.15, typicalP: 0.5 };
    const ours = keptIds(processChainCpu(Float32Array.from(z), chain, []).y);
    expect(ours).toEqual(keptIds(hfChain(z, chain, [])));
    expect(ours).toEqual(keptIds(hfTypical(hfMinP(z, 0.15), 0.5)));
    expect(ours).not.toEqual(keptIds(hfMinP(hfTypical(z, 0.5), 0.15)));
  });
});
