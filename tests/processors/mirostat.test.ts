import { describe, expect, it } from 'vitest';
import { drawRows, DrawStore, processRow, processRows, type ProcessRowOptions } from '../../workers/decode/fusion';
import { stagePlan } from '../../workers/decode/lab';
import { GREEDY_CHAIN, parseChain, type ChainParams } from '../../workers/processors/chain';
import { mirostatEpsilon, mirostatUpdate, MirostatState } from '../../workers/processors/mirostat';
import { Readout } from '../../workers/decode/readout';
import { Rng } from '../../workers/rng';
import { sample } from '../../strategies/base/worker/sample';
import { greedy } from '../../strategies/base/worker/greedy';
import { ead } from '../../strategies/ead/worker/ead';
import { speculative } from '../../strategies/speculative/worker/speculative';
import { promptLookupDecoding } from '../../strategies/speculative/worker/prompt-lookup';
import { parseCntpSettings } from '../../strategies/cntp/worker/settings';
import type { StrategyRun } from '../../strategies/types';
import { CpuSequence, cpuLogits } from './cpuSequence';
import { softmax } from './hf';

// Mirostat v2 (docs/algorithms.md#mirostat): keep −log2 p ≤ μ, draw, μ ← μ − η(−log2 p′(x) − τ).

const chain = (tau: number, eta = 0.1, extra: Partial<ChainParams> = {}): ChainParams => ({ ...GREEDY_CHAIN, temperature: 1, mirostatTau: tau, mirostatEta: eta, ...extra });
const host = () => ({ gpu: null, readout: new Readout(null), mirostat: new MirostatState() });

/** float64 Mirostat v2 over a row: the kept ids and p′ (renormalised over them). */
function referenceKeep(z: number[], mu: number): { kept: number[]; pPrime: (id: number) => number } {
  const p = softmax(z);
  const top = p.indexOf(Math.max(...p));
  let kept = p.flatMap((q, i) => (q > 0 && -Math.log2(q) <= mu ? [i] : []));
  if (kept.length === 0) kept = [top];
  const mass = kept.reduce((s, i) => s + p[i]!, 0);
  return { kept, pPrime: (id) => (kept.includes(id) ? p[id]! / mass : 0) };
}

/** A fake model with a Zipf-like row whose token order depends on the text so far (V ids). */
function zipfRow(V: number, s = 1.1) {
  return (ids: number[]) => {
    const shift = (ids.length * 7 + (ids.at(-1) ?? 0) * 3) % V;
    return Array.from({ length: V }, (_, i) => -s * Math.log(1 + ((i + shift) % V)) + 0.05 * Math.sin(i * 1.7 + ids.length));
  };
}

async function take(run: StrategyRun, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(...(await run.step()).tokens.map((t) => t.id));
  return out;
}

describe('Mirostat v2 oracle (ALGORITHMS §6.1)', () => {
  it('p = [0.8, 0.2], τ = 1: μ = 2 bits keeps token 0 only for any u, then μ = 2 + η', async () => {
    for (const u of [0, 0.3, 0.79, 0.85, 0.999]) {
      const h = host();
      const r = await processRow(h, cpuLogits([[0, -1.3863]]), 0, { chain: chain(1, 0.1), history: [], uniform: u });
      expect(r.sampled).toBe(true);
      expect(r.id).toBe(0);
      expect(r.kept).toBe(1);
      expect(r.processedProb).toBe(1);
      expect(h.mirostat.mus).toEqual([2]);
      expect(h.mirostat.mu).toBeCloseTo(2.1, 12);
    }
    // Off, the same u = 0.85 draws token 1 (a nats implementation would keep it too: −ln 0.2 = 1.61 ≤ 2).
    const off = await processRow(host(), cpuLogits([[0, -1.3863]]), 0, { chain: chain(0), history: [], uniform: 0.85 });
    expect(off.id).toBe(1);
  });

  it('the cutoff ε = 2^−μ: μ ≤ 0 keeps the top only, a large μ keeps every token', async () => {
    const z = [0, -0.1, -0.2, -0.3];
    const at = async (mu: number) => (await processRow(host(), cpuLogits([z]), 0, { chain: chain(1), history: [], uniform: 0.5, mirostatMu: mu })).kept;
    expect(await at(-3)).toBe(1);
    expect(await at(0)).toBe(1);
    expect(await at(40)).toBe(4);
    // −log2 p of the 4 tokens: 1.77, 1.91, 2.06, 2.20 bits.
    expect(await at(2)).toBe(2);
    expect(mirostatEpsilon(2)).toBe(0.25);
    expect(mirostatEpsilon(-5)).toBeLessThan(1);
    expect(mirostatEpsilon(5000)).toBeGreaterThan(0);
  });
});

describe('Mirostat v2 control loop', () => {
  it('μ follows the update rule step by step (float64 reference loop)', async () => {
    const V = 64;
    const row = zipfRow(V);
    const tau = 3;
    const eta = 0.2;
    const seq = new CpuSequence([1, 2], row);
    const rng = new Rng(7);
    const c = chain(tau, eta);
    let muRef = 2 * tau;
    for (let t = 0; t < 60; t++) {
      const z = row(seq.ids).map(Math.fround);
      const logits = await seq.forwardPending();
      const r = await processRow(seq, logits, 0, { chain: c, history: seq.ids, uniform: rng.next() });
      const ref = referenceKeep(z, muRef);
      expect(seq.mirostat.mus[t]).toBeCloseTo(muRef, 6);
      expect(r.kept).toBe(ref.kept.length);
      expect(ref.kept).toContain(r.id);
      expect(r.processedProb).toBeCloseTo(ref.pPrime(r.id), 6);
      // Exactly the rule on the reported probability ...
      expect(seq.mirostat.mu).toBe(mirostatUpdate(seq.mirostat.mus[t]!, r.processedProb, tau, eta));
      // ... and the float64 reference within rounding of the integer weights.
      muRef = muRef - eta * (-Math.log2(ref.pPrime(r.id)) - tau);
      expect(seq.mirostat.mu).toBeCloseTo(muRef, 5);
      seq.commit([r.id]);
    }
    expect(new Set(seq.mirostat.mus.map((m) => m.toFixed(3))).size).toBeGreaterThan(10);
  });

  it('the mean observed surprise over a long run approaches τ', async () => {
    for (const tau of [2, 4]) {
      const seq = new CpuSequence([0], zipfRow(256));
      const run = sample.start({ params: { temperature: 1, mirostatTau: tau, mirostatEta: 0.1 }, target: seq, draft: null, rng: new Rng(tau), topK: 10 });
      await take(run, 1500);
      const s = seq.mirostat.surprises;
      expect(s.length).toBe(1500);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      expect(Math.abs(mean - tau)).toBeLessThan(0.25);
    }
  });

  it('the sample strategy: same seed, same tokens; μ starts at 2τ per run; other warpers are skipped', async () => {
    const row = zipfRow(48);
    const params = { temperature: 0.9, mirostatTau: 2.5, mirostatEta: 0.3, topK: 2 };
    const runOnce = async () => {
      const seq = new CpuSequence([3], row);
      const ids = await take(sample.start({ params, target: seq, draft: null, rng: new Rng(11), topK: 10 }), 30);
      return { ids, seq };
    };
    const a = await runOnce();
    const b = await runOnce();
    expect(a.ids).toEqual(b.ids);
    expect(a.seq.mirostat.mus[0]).toBe(5);
    expect(b.seq.mirostat.mus[0]).toBe(5);
    // top-k 2 is replaced by Mirostat: with μ = 5 bits the first row keeps more than 2 tokens.
    const z = row([3]).map((v) => Math.fround(v / 0.9));
    expect(referenceKeep(z, 5).kept.length).toBeGreaterThan(2);
    const first = await processRow(host(), cpuLogits([row([3])]), 0, { chain: parseChain(params), history: [3], uniform: 0.5 });
    expect(first.kept).toBe(referenceKeep(z, 5).kept.length);
  });

  it('off (τ = 0) is the plain chain whatever η; greedy ignores it', async () => {
    const row = zipfRow(40);
    const plain = await take(sample.start({ params: { temperature: 1, topK: 5 }, target: new CpuSequence([1], row), draft: null, rng: new Rng(3), topK: 10 }), 25);
    const seq = new CpuSequence([1], row);
    const withEta = await take(sample.start({ params: { temperature: 1, topK: 5, mirostatEta: 0.7 }, target: seq, draft: null, rng: new Rng(3), topK: 10 }), 25);
    expect(withEta).toEqual(plain);
    expect(seq.mirostat.mu).toBeNull();
    const g = new CpuSequence([1], row);
    const greedyIds = await take(greedy.start({ params: { mirostatTau: 3 }, target: g, draft: null, rng: new Rng(3), topK: 10 }), 10);
    const plainGreedy = await take(greedy.start({ params: {}, target: new CpuSequence([1], row), draft: null, rng: new Rng(3), topK: 10 }), 10);
    expect(greedyIds).toEqual(plainGreedy);
    expect(g.mirostat.mu).toBeNull();
    // Temperature 0 under sample: no draw, no state.
    const t0 = new CpuSequence([1], row);
    await take(sample.start({ params: { temperature: 0, mirostatTau: 3 }, target: t0, draft: null, rng: new Rng(3), topK: 10 }), 5);
    expect(t0.mirostat.mu).toBeNull();
  });

  it('EAD moves one μ for the panel across both models', async () => {
    const target = new CpuSequence([1, 2], zipfRow(32));
    const draft = new CpuSequence([1, 2], zipfRow(32, 0.7));
    const run = ead.start({ params: { temperature: 1, mirostatTau: 3 }, target, draft, rng: new Rng(5), topK: 10 });
    const ids = await take(run, 20);
    expect(ids).toHaveLength(20);
    expect(target.mirostat.mu).toBeNull();
    expect(draft.mirostat.mu).toBeNull();
  });

  it('the logit lab shows one mirostat stage in place of the warpers', () => {
    const opts: ProcessRowOptions = { chain: chain(3, 0.1, { topK: 5, topP: 0.9 }), history: [], uniform: 0.5, mirostatMu: 4.25 };
    const plans = stagePlan(opts, true);
    expect(plans.map((p) => p.id)).toEqual(['raw', 'temperature', 'mirostat']);
    expect(plans.at(-1)!.label).toContain('mirostat μ=4.25');
    expect(plans.at(-1)!.opts.mirostatMu).toBe(4.25);
    expect(plans.at(-1)!.opts.chain.topK).toBe(0);
  });
});

describe('Mirostat v2 refusals and ranges', () => {
  const expectBad = (f: () => unknown, re: RegExp) => {
    try {
      f();
    } catch (e) {
      expect((e as { code?: string }).code).toBe('bad-request');
      expect(String((e as Error).message)).toMatch(re);
      return;
    }
    throw new Error('expected a bad-request error');
  };

  it('checks τ in [0, 20] and η in [0, 1]', () => {
    expectBad(() => parseChain({ mirostatTau: 21 }), /mirostatTau/);
    expectBad(() => parseChain({ mirostatTau: -1 }), /mirostatTau/);
    expectBad(() => parseChain({ mirostatEta: 1.5 }), /mirostatEta/);
    expect(parseChain({ mirostatTau: 20, mirostatEta: 0 })['mirostatTau']).toBe(20);
    expect(GREEDY_CHAIN['mirostatTau']).toBe(0);
    expect(GREEDY_CHAIN['mirostatEta']).toBe(0.1);
  });

  it('speculative, prompt-lookup and CNTP refuse mirostatTau > 0', () => {
    const row = zipfRow(16);
    const ctx = () => ({ params: { temperature: 1, mirostatTau: 3 }, target: new CpuSequence([1], row), draft: new CpuSequence([1], row), rng: new Rng(1), topK: 10, eosIds: [] });
    expectBad(() => speculative.start(ctx()), /mirostatTau.*speculative/);
    expectBad(() => promptLookupDecoding.start({ ...ctx(), draft: null }), /mirostatTau.*prompt-lookup/);
    expectBad(() => parseCntpSettings({ mirostatTau: 3 }), /mirostatTau.*CNTP/);
    expect(() => speculative.start({ ...ctx(), params: { temperature: 1 } })).not.toThrow();
  });

  it('processRows refuses several updating rows; a peek row reads μ and leaves it', async () => {
    const h = host();
    const logits = cpuLogits([[0, -0.5, -1, -2]]);
    const opts = { chain: chain(2), history: [], uniform: 0.4 };
    await expect(processRows(h, logits, [{ row: 0, opts }, { row: 0, opts }])).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/mirostatTau/) });
    expect(h.mirostat.mu).toBeNull();
    const [peek, emit] = await processRows(h, logits, [{ row: 0, opts: { ...opts, mirostatPeek: true } }, { row: 0, opts }]);
    expect(peek!.id).toBe(emit!.id);
    expect(h.mirostat.mus).toEqual([4]);
    await expect(drawRows(h, logits, [{ row: 0, opts }], new DrawStore(h))).rejects.toMatchObject({ code: 'bad-request' });
    // No state anywhere: a clear error, not a silent stateless sampler.
    await expect(processRow({ gpu: null, readout: new Readout(null) }, logits, 0, opts)).rejects.toThrow(/Mirostat v2/);
  });
});
