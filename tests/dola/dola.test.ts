// DoLa (strategies/dola): the candidate layer sets, the divergence reference against the spec's
// hand-computed value and the textbook formulas, and the run over fake layer logits on the real CPU
// fusion: the chosen layer is the first maximum of the code's divergence, the chosen token is the
// argmax of log p_L − log p_m over the plausible set, a layer contrasted with itself gives the
// smallest plausible id, and models without layer logits or bad layer lists fail clearly.
import { describe, expect, it } from 'vitest';
import { layerDivergenceCpu } from '../../kernels/reference/layerDivergence';
import { candidateLayers, firstMax, startLayer } from '../../strategies/dola/worker/layers';
import { dola, DolaRun, NO_LAYER_LOGITS, type LayeredSequence } from '../../strategies/dola/worker/dola';
import { withDefaults } from '../../protocol/params';
import { parseDolaSettings } from '../../strategies/dola/worker/settings';
import type { DolaAnnotations } from '../../protocol';
import { Rng } from '../../workers/rng';
import { CpuSequence, cpuLogits } from '../processors/cpuSequence';

describe('candidate layers (Hugging Face dola_layers)', () => {
  it('SmolLM2-135M (30 layers, tied) and Qwen2.5-0.5B (24, tied) as the spec lists them', () => {
    expect(candidateLayers('low', 30, true)).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(candidateLayers('high', 30, true)).toEqual([15, 17, 19, 21, 23, 25, 27, 29]);
    expect(candidateLayers('low', 24, true)).toEqual([2, 4, 6, 8, 10]);
    expect(candidateLayers('high', 24, true)).toEqual([12, 14, 16, 18, 20, 22]);
  });
  it('the built-in 5-layer stories model: low = [2] (start = L/2), high = [2, 4]; untied low starts at 0', () => {
    expect(candidateLayers('low', 5, true)).toEqual([2]);
    expect(candidateLayers('high', 5, true)).toEqual([2, 4]);
    expect(candidateLayers('low', 5, false)).toEqual([0]);
    expect([startLayer(1, true), startLayer(2, true), startLayer(3, true), startLayer(3, false)]).toEqual([0, 1, 2, 0]);
  });
  it('more than 40 layers: low from start to 20, high the last 20, every 2nd', () => {
    expect(candidateLayers('low', 48, true)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(candidateLayers('high', 48, true)).toEqual([28, 30, 32, 34, 36, 38, 40, 42, 44, 46]);
  });
  it('a list keeps the layers below the final one, sorted, once; bad lists and empty sets say why', () => {
    expect(candidateLayers('4, 0 2,4,5,9', 5, true)).toEqual([0, 2, 4]);
    expect(() => candidateLayers('5,6', 5, true)).toThrow(/no layer below the final one/);
    expect(() => candidateLayers('two', 5, true)).toThrow(/low, high or a list/);
    expect(() => candidateLayers('low', 3, true)).toThrow(/no candidate layer on this 3-layer model/);
    expect(firstMax([1, 3, 3, 2])).toBe(1);
  });
});

describe('layer divergence reference', () => {
  it("the spec's pair P = [0.9, 0.1], Q = [0.5, 0.5]: code form 0.0590, textbook JSD from its definition", () => {
    const d = layerDivergenceCpu([Math.log(0.9), Math.log(0.1)], [0, 0]);
    expect(d.code).toBeCloseTo(0.059, 4);
    const jsd = 0.5 * (0.9 * Math.log(0.9 / 0.7) + 0.1 * Math.log(0.1 / 0.3)) + 0.5 * (0.5 * Math.log(0.5 / 0.7) + 0.5 * Math.log(0.5 / 0.3));
    expect(d.jsd).toBeCloseTo(jsd, 12);
  });
  it('is 0 for a row against itself (any shift), and the JSD stays in [0, ln 2]', () => {
    const a = Array.from({ length: 50 }, (_, i) => Math.sin(i * 1.3) * 4);
    const same = layerDivergenceCpu(a, a.map((z) => z + 7));
    expect(same.code).toBeCloseTo(0, 12);
    expect(same.jsd).toBeCloseTo(0, 12);
    for (let t = 0; t < 20; t++) {
      const b = a.map((_, i) => Math.cos(i * (0.7 + t)) * (1 + t));
      const d = layerDivergenceCpu(a, b);
      expect(d.code).toBeGreaterThan(0);
      expect(d.jsd).toBeGreaterThan(0);
      expect(d.jsd).toBeLessThanOrEqual(Math.log(2) + 1e-12);
    }
    // Disjoint supports reach ln 2.
    expect(layerDivergenceCpu([0, -1000], [-1000, 0]).jsd).toBeCloseTo(Math.log(2), 9);
  });
});

const V = 12;
const L = 4;
/** Rows for layers 0 … L after `ids`: layer L is the model's output. */
const layerRows = (ids: number[]) => Array.from({ length: L + 1 }, (_, l) => Array.from({ length: V }, (_, i) => Math.sin(ids.length * 0.7 + i * 1.9 + l * 2.3 + (ids.at(-1) ?? 0)) * (l === L ? 3 : 0.5 + ((l * 3 + ids.length) % 4))));

/** A fake LayeredSequence over CPU rows: the output row and the layer rows (or none). */
class LayeredCpuSequence extends CpuSequence implements LayeredSequence {
  constructor(
    prompt: number[],
    private readonly rows: (ids: number[]) => number[][] | null,
    output: (ids: number[]) => number[],
  ) {
    super(prompt, output);
  }
  async forwardPendingLayers() {
    const layers = this.rows(this.ids);
    const logits = await this.forwardPending();
    return { logits, layers: layers ? cpuLogits(layers) : null };
  }
}

const logSoftmax = (row: number[]) => {
  const m = Math.max(...row);
  const l = m + Math.log(row.reduce((a, z) => a + Math.exp(z - m), 0));
  return row.map((z) => z - l);
};

async function steps(seq: LayeredCpuSequence, params: Record<string, number | string>, n: number) {
  const run = new DolaRun(seq, parseDolaSettings(params), true, new Rng(1), 10);
  const out = [];
  for (let i = 0; i < n; i++) out.push(...(await run.step()).tokens);
  return out;
}

describe('DolaRun on fake layer logits (CPU fusion)', () => {
  it('picks the first maximum of the code divergence, then argmax of log p_L − log p_m over the plausible set', async () => {
    const seq = new LayeredCpuSequence([1, 2], layerRows, (ids) => layerRows(ids)[L]!);
    const ids = [1, 2];
    const tokens = await steps(seq, { layers: '0,1,2,3', repetitionPenalty: 1 }, 8);
    const seen = new Set<number>();
    for (const t of tokens) {
      const a = t.annotations as DolaAnnotations;
      const rows = layerRows(ids);
      const div = [0, 1, 2, 3].map((l) => layerDivergenceCpu(rows[L]!, rows[l]!).code);
      expect(a.premature).toBe([0, 1, 2, 3][firstMax(div)]);
      a.candidates.forEach((c, i) => expect(c.divergence!).toBeCloseTo(div[i]!, 6));
      const pL = logSoftmax(rows[L]!);
      const pm = logSoftmax(rows[a.premature]!);
      const thr = Math.max(...pL) + Math.log(0.1);
      const plausible = pL.map((lp, v) => (lp >= thr ? v : -1)).filter((v) => v >= 0);
      expect(a.plausible).toBe(plausible.length);
      expect(plausible).toContain(t.id);
      const F = plausible.map((v) => pL[v]! - pm[v]!);
      expect(t.id).toBe(plausible[firstMax(F)]);
      seen.add(a.premature);
      ids.push(t.id);
    }
    // The rows differ from step to step, and so does the layer chosen.
    expect(seen.size).toBeGreaterThan(1);
  });

  it('a layer contrasted with itself: F = 0 on the plausible set, so greedy returns its smallest id', async () => {
    // Output row: id 7 is the argmax, ids 3 and 9 within α = 0.1 of it, the rest far below.
    const out = Array.from({ length: V }, (_, i) => (i === 7 ? 5 : i === 3 ? 4 : i === 9 ? 3.5 : -5));
    const rows = () => [out, out, out, out, out];
    const [t] = await steps(new LayeredCpuSequence([1], rows, () => out), { layers: '2', repetitionPenalty: 1 }, 1);
    const a = t!.annotations as DolaAnnotations;
    expect(a.candidates).toEqual([{ layer: 2, divergence: null, jsd: null }]);
    expect(a.plausible).toBe(3);
    expect(t!.id).toBe(3);
    expect(a.modelGreedy).toBe(7);
    expect(a.departed).toBe(true);
  });

  it('refuses a model without layer logits and a layer list that names no usable layer', async () => {
    await expect(steps(new LayeredCpuSequence([1], () => null, (ids) => layerRows(ids)[L]!), {}, 1)).rejects.toThrow(NO_LAYER_LOGITS);
    await expect(steps(new LayeredCpuSequence([1], layerRows, (ids) => layerRows(ids)[L]!), { layers: '7' }, 1)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('defaults: high layers, α = 0.1, repetition penalty 1.2', () => {
    const s = parseDolaSettings(withDefaults(dola.info, {}));
    expect([s.layers, s.alpha, s.chain.repetitionPenalty]).toEqual(['high', 0.1, 1.2]);
  });
});
