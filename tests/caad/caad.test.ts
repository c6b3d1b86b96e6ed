// CAAD / RAD (docs/algorithms.md#caad) on fake models whose logits and hidden states are pure
// functions of the text so far: the oracles of ALGORITHMS §6.9 (λ = 0, an empty store and
// σ_min > 1 are the model alone; a store of the prompt + answer with a large λ reproduces the
// answer), the retrieval math against a hand-computed example, and every step against the formula.
import { describe, expect, it } from 'vitest';
import { CaadRun } from '../../strategies/caad/worker/caad-run';
import { parseCaadSettings } from '../../strategies/caad/worker/settings';
import { MAX_STORE_ENTRIES, ReferenceStore, STORE_TOP, aggregate, entryValues, retrieve, rOf, type StoreEntry } from '../../strategies/caad/worker/store';
import { StoreCache } from '../../strategies/caad/worker/store-cache';
import { greedy } from '../../strategies/base/worker/greedy';
import type { CaadAnnotations } from '../../protocol';
import { Rng } from '../../workers/rng';
import { CpuSequence } from '../processors/cpuSequence';
import type { StrategyRun } from '../../strategies/types';
import { FakeCaadModel, wordTokenizer, words } from './fake-model';

const V = 80;
const D = 24;
const PROMPT = [1, 2, 3];
/** Soft rows that depend on the text so far (a stand-in model). */
const modelRow = (ids: number[]) => Array.from({ length: V }, (_, i) => Math.sin(ids.length * 0.9 + i * 1.7 + 1.3 * (ids.at(-1) ?? 0)) * 2.5);
/** A fixed pseudo-random embedding per id. */
const embed = (id: number) => Array.from({ length: D }, (_, i) => Math.sin(id * 12.9898 + i * 78.233) * 43758.5453 % 1);
/** Hidden state: the last token's embedding plus half the one before (same context → same vector). */
const hiddenOf = (ids: number[]) => {
  const a = embed(ids.at(-1) ?? 0);
  const b = embed(ids.at(-2) ?? 0);
  return a.map((x, i) => x + 0.5 * b[i]!);
};

async function take(run: StrategyRun, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(...(await run.step()).tokens);
  return out;
}

function caadRun(params: Record<string, number | string>, corpus: string[], prompt = PROMPT, seed = 1) {
  const seq = new CpuSequence(prompt, modelRow);
  const model = new FakeCaadModel(seq, modelRow, hiddenOf);
  const settings = parseCaadSettings({ corpusName: 'none', ...params });
  return { seq, model, run: new CaadRun(seq, model, settings, wordTokenizer, async () => corpus, new Rng(seed), 10) };
}

async function greedyIds(n: number, prompt = PROMPT) {
  const seq = new CpuSequence(prompt, modelRow);
  return (await take(greedy.start({ params: {}, target: seq, draft: null, rng: new Rng(1), topK: 10 }), n)).map((t) => t.id);
}

const ann = (t: { annotations: unknown }) => t.annotations as CaadAnnotations;
const corpus = [words([1, 2, 3, 40, 41, 42, 43, 44, 45]), words([7, 2, 3, 50, 51, 52]), words([9, 9, 3, 40, 60, 61])];

describe('CAAD retrieval math', () => {
  const entry = (ids: number[], values: number[], floor: number): StoreEntry => ({ reference: 0, position: 0, next: ids[0]!, ids: Int32Array.from(ids), values: Float32Array.from(values), floor });

  it('weights, floors and the centring of a hand-computed example', () => {
    const store = new ReferenceStore(2);
    store.add([2, 0], entry([1, 2], [-0.5, -1], -3)); // key (1, 0)
    store.add([0.6, 0.8], entry([2, 3], [-0.2, -2], -4)); // key (0.6, 0.8)
    store.add([-1, 0], entry([5], [-0.1], -9)); // key (−1, 0): cos −1
    const ret = retrieve(store, [3, 0], { neighbours: 8, minSimilarity: 0.5, temperature: 0.1 });
    // cos = 1 and 0.6 kept, −1 dropped; a = softmax(cos / 0.1).
    const a1 = 1 / (1 + Math.exp(-4));
    const a2 = Math.exp(-4) / (1 + Math.exp(-4));
    expect(ret.neighbours.map((n) => n.index)).toEqual([0, 1]);
    // Keys are stored in float32.
    expect(ret.neighbours[0]!.cos).toBeCloseTo(1, 6);
    expect(ret.neighbours[1]!.cos).toBeCloseTo(0.6, 6);
    expect(ret.neighbours[0]!.weight).toBeCloseTo(a1, 6);
    expect(ret.neighbours[1]!.weight).toBeCloseTo(a2, 6);
    expect(ret.gate).toBeCloseTo(1, 12);
    expect(ret.best).toBeCloseTo(1, 12);
    expect(ret.ids).toEqual([1, 2, 3]);
    // A missing entry counts as that entry's floor.
    const r1 = a1 * -0.5 + a2 * -4;
    const r2 = a1 * -1 + a2 * -0.2;
    const r3 = a1 * -3 + a2 * -2;
    const r0 = a1 * -3 + a2 * -4;
    expect(ret.r[0]).toBeCloseTo(r1, 6);
    expect(ret.r[1]).toBeCloseTo(r2, 6);
    expect(ret.r[2]).toBeCloseTo(r3, 6);
    expect(ret.r0).toBeCloseTo(r0, 6);
    expect(rOf(ret, 17)).toBe(ret.r0);
    // mean over the 64 largest r: the three listed and 61 unlisted ids at r0.
    expect(ret.mean).toBeCloseTo((r1 + r2 + r3 + 61 * r0) / STORE_TOP, 6);
    // σ_min between the two: the close one alone, weight 1; N = 1 likewise.
    for (const s of [{ neighbours: 8, minSimilarity: 0.7 }, { neighbours: 1, minSimilarity: -1 }]) {
      const one = retrieve(store, [3, 0], { ...s, temperature: 0.1 });
      expect(one.neighbours.map((n) => [n.index, n.weight])).toEqual([[0, 1]]);
      expect(one.r).toEqual([-0.5, -1]);
      expect(one.r0).toBe(-3);
    }
    // Nothing close enough: no neighbours, gate 0.
    const none = retrieve(store, [3, 0], { neighbours: 8, minSimilarity: 1.01, temperature: 0.1 });
    expect(none.neighbours).toEqual([]);
    expect(none.gate).toBe(0);
    expect(none.best).toBeCloseTo(1, 12);
  });

  it('aggregate of one entry is that entry', () => {
    const e = entry([4, 9], [-0.3, -1.2], -5);
    const r = aggregate([{ weight: 1 }], [e]);
    expect(r.ids).toEqual([4, 9]);
    expect(r.r[0]).toBeCloseTo(-0.3, 6);
    expect(r.r0).toBe(-5);
  });

  it('stored values: the model’s top-64 log-probs with the 64th as floor (μ = 0), the reference token leading (μ > 0)', () => {
    const ids = Array.from({ length: 64 }, (_, i) => 100 + i);
    const lp = ids.map((_, i) => -1 - i * 0.1);
    const plain = entryValues(ids, lp, 105, lp[5]!, 0);
    expect(Array.from(plain.ids)).toEqual(ids);
    expect(plain.values[3]).toBeCloseTo(lp[3]!, 6);
    expect(plain.floor).toBeCloseTo(lp[63]!, 12);
    // μ = 0.9, next token inside the top: log(0.9 + 0.1·p) for it, log(0.1·p) for the others.
    const mixed = entryValues(ids, lp, 105, lp[5]!, 0.9);
    expect(mixed.values[5]).toBeCloseTo(Math.log(0.9 + 0.1 * Math.exp(lp[5]!)), 6);
    expect(mixed.values[0]).toBeCloseTo(Math.log(0.1) + lp[0]!, 6);
    expect(mixed.floor).toBeCloseTo(Math.log(0.1) + lp[63]!, 12);
    // Next token outside the top-64: listed as a 65th entry with its own probability.
    const outside = entryValues(ids, lp, 7, -12, 0.9);
    expect(outside.ids.length).toBe(65);
    expect(outside.ids[0]).toBe(7);
    expect(outside.values[0]).toBeCloseTo(Math.log(0.9 + 0.1 * Math.exp(-12)), 6);
    expect(() => entryValues(ids, lp, 7, -12, 1)).toThrow(/answerWeight/);
  });

  it('the store refuses more than its cap', () => {
    const store = new ReferenceStore(1);
    for (let i = 0; i < MAX_STORE_ENTRIES; i++) store.add([1], entry([0], [0], -1));
    expect(store.full).toBe(true);
    expect(() => store.add([1], entry([0], [0], -1))).toThrow(/at most/);
  });
});

describe('CAAD / RAD (strategy caad)', () => {
  it('λ = 0 is greedy, token for token', async () => {
    const tokens = await take(caadRun({ lambda: 0 }, corpus).run, 20);
    expect(tokens.map((t) => t.id)).toEqual(await greedyIds(20));
    expect(tokens.every((t) => ann(t).provenance === 'no retrieval')).toBe(true);
    // The retrieval still ran: the first step matches the first reference's context exactly.
    expect(ann(tokens[0]!).neighbours[0]!.similarity).toBeCloseTo(1, 6);
  });

  it('an empty store (every reference shorter than two tokens) is greedy', async () => {
    const tokens = await take(caadRun({ lambda: 5 }, [words([4]), words([40])]).run, 15);
    expect(tokens.map((t) => t.id)).toEqual(await greedyIds(15));
    expect(ann(tokens[0]!).store).toMatchObject({ references: 2, entries: 0 });
    expect(tokens.every((t) => ann(t).provenance === 'no retrieval' && ann(t).bestSimilarity === null)).toBe(true);
  });

  it('σ_min > 1 is greedy', async () => {
    const tokens = await take(caadRun({ lambda: 5, minSimilarity: 1.01 }, corpus).run, 15);
    expect(tokens.map((t) => t.id)).toEqual(await greedyIds(15));
    expect(tokens.every((t) => ann(t).provenance === 'no retrieval' && ann(t).neighbours.length === 0)).toBe(true);
  });

  it('a store of exactly the prompt + answer with a large λ reproduces the answer', async () => {
    const answer = [33, 17, 70, 5, 61, 29, 44, 12];
    const { run, model } = caadRun({ lambda: 20 }, [words([...PROMPT, ...answer])]);
    const tokens = await take(run, answer.length);
    expect(tokens.map((t) => t.id)).toEqual(answer);
    expect(await greedyIds(answer.length)).not.toEqual(answer); // the model alone would not
    expect(model.teacherForced).toEqual([[...PROMPT, ...answer]]);
    tokens.forEach((t, i) => {
      const a = ann(t);
      expect(a.neighbours[0]!.similarity).toBeCloseTo(1, 6);
      expect(a.neighbours[0]!.nextId).toBe(answer[i]);
      expect(a.gate).toBeCloseTo(1, 6);
    });
    // μ = 0 (the model's own log-probs stored) with the exact match alone (N = 1) can only sharpen
    // the model's row (r = its own log-probs over the top 64): the first token stays greedy's, not the answer's.
    const plain = await take(caadRun({ lambda: 20, answerWeight: 0, neighbours: 1 }, [words([...PROMPT, ...answer])]).run, 1);
    const g = await greedyIds(1);
    expect(g[0]).not.toBe(answer[0]);
    expect(plain[0]!.id).toBe(g[0]);
  });

  it('every step picks argmax(z + λ·g·(r − mean r)) with r from the store, and names the model’s own pick', async () => {
    const lambda = 1.5;
    const s = { neighbours: 8, minSimilarity: 0.3, temperature: 0.1 };
    const { run } = caadRun({ lambda, minSimilarity: 0.3 }, corpus);
    const tokens = await take(run, 30);
    // The store, rebuilt from the definition.
    const store = new ReferenceStore(D);
    for (const [ref, text] of corpus.entries()) {
      const ids = wordTokenizer.encode(text);
      for (let i = 0; i + 1 < ids.length; i++) {
        const z = modelRow(ids.slice(0, i + 1));
        const m = Math.max(...z);
        const lse = m + Math.log(z.reduce((a, x) => a + Math.exp(x - m), 0));
        const order = z.map((x, id) => ({ x, id })).sort((a, b) => b.x - a.x || a.id - b.id).slice(0, STORE_TOP);
        const v = entryValues(order.map((o) => o.id), order.map((o) => o.x - lse), ids[i + 1]!, z[ids[i + 1]!]! - lse, 0.9);
        store.add(hiddenOf(ids.slice(0, i + 1)), { reference: ref, position: i, next: ids[i + 1]!, ...v });
      }
    }
    let flips = 0;
    let active = 0;
    tokens.forEach((t, i) => {
      const history = [...PROMPT, ...tokens.slice(0, i).map((x) => x.id)];
      const z = modelRow(history);
      const ret = retrieve(store, hiddenOf(history), s);
      const fused = ret.neighbours.length > 0 ? z.map((x, v) => x + lambda * ret.gate * (rOf(ret, v) - ret.mean)) : z;
      const a = ann(t);
      expect(t.id).toBe(fused.indexOf(Math.max(...fused)));
      expect(a.modelChoice.id).toBe(z.indexOf(Math.max(...z)));
      expect(a.gate).toBeCloseTo(ret.gate, 6); // the fake's hidden states are float32
      expect(a.neighbours.map((n) => n.reference * 100 + n.position)).toEqual(ret.neighbours.map((n) => store.entries[n.index]!.reference * 100 + store.entries[n.index]!.position));
      if (ret.neighbours.length === 0) {
        expect(a.provenance).toBe('no retrieval');
        return;
      }
      active++;
      expect(a.provenance).toBe(t.id === a.modelChoice.id ? 'agreed' : 'flipped by retrieval');
      if (a.provenance === 'flipped by retrieval') flips++;
      const m = Math.max(...fused);
      expect(a.processedProb).toBeCloseTo(Math.exp(fused[t.id]! - m) / fused.reduce((acc, x) => acc + Math.exp(x - m), 0), 5);
      expect(a.tokenShift).toBeCloseTo(lambda * ret.gate * (rOf(ret, t.id) - ret.mean), 5);
      const mz = Math.max(...z);
      if (a.provenance === 'agreed') expect(a.probWithout).not.toBeNull();
      // Flipped: the raw top-10 names it when it is there.
      if (a.probWithout !== null) expect(a.probWithout).toBeCloseTo(Math.exp(z[t.id]! - mz) / z.reduce((acc, x) => acc + Math.exp(x - mz), 0), 5);
      expect(a.shift[0]!.shift).toBeCloseTo(Math.max(...ret.r) - ret.mean, 5);
    });
    expect(active).toBeGreaterThan(0);
    expect(flips).toBeGreaterThan(0);
    expect(ann(tokens[0]!).store).toMatchObject({ references: 3, entries: 8 + 5 + 5, dim: D, capped: false });
    expect(ann(tokens[1]!).store).toBeUndefined();
  });

  it('sampling: the same seed gives the same tokens, and both rows use one uniform', async () => {
    const a = await take(caadRun({ lambda: 1, temperature: 1 }, corpus, PROMPT, 7).run, 20);
    const b = await take(caadRun({ lambda: 1, temperature: 1 }, corpus, PROMPT, 7).run, 20);
    expect(a.map((t) => t.id)).toEqual(b.map((t) => t.id));
    expect(a.every((t) => ann(t).sampled)).toBe(true);
    const plain = await take(caadRun({ lambda: 0, temperature: 1 }, corpus, PROMPT, 7).run, 20);
    const firstFlip = a.findIndex((t) => ann(t).provenance === 'flipped by retrieval');
    const upTo = firstFlip < 0 ? a.length : firstFlip + 1;
    a.slice(0, upTo).forEach((t, i) => expect(ann(t).modelChoice.id).toBe(plain[i]!.id));
  });

  it('refuses a run with no references', async () => {
    await expect(caadRun({}, []).run.step()).rejects.toThrow(/CAAD needs references/);
  });

  it('checks its parameters, naming the parameter and the value', () => {
    expect(() => parseCaadSettings({ lambda: -1 })).toThrow(/lambda/);
    expect(() => parseCaadSettings({ neighbours: 0 })).toThrow(/neighbours/);
    expect(() => parseCaadSettings({ neighbours: 2.5 })).toThrow(/neighbours/);
    expect(() => parseCaadSettings({ retrievalTemperature: 0 })).toThrow(/retrievalTemperature/);
    expect(() => parseCaadSettings({ answerWeight: 1 })).toThrow(/answerWeight/);
    expect(() => parseCaadSettings({ corpusName: 'shakespeare' })).toThrow(/corpusName/);
    expect(parseCaadSettings({})).toMatchObject({ lambda: 1, neighbours: 8, minSimilarity: 0.6, temperature: 0.1, answerWeight: 0.9, corpusName: 'pirate-tales', corpus: '' });
  });
});

describe('CAAD reference stores across runs', () => {
  const cached = (stores: StoreCache, owner: object, params: Record<string, number | string>, refs: string[]) => {
    const seq = new CpuSequence(PROMPT, modelRow);
    const model = new FakeCaadModel(seq, modelRow, hiddenOf);
    const run = new CaadRun(seq, model, parseCaadSettings({ corpusName: 'none', lambda: 5, ...params }), wordTokenizer, async () => refs, new Rng(1), 10, undefined, { stores, model: owner });
    return { model, run };
  };

  it('a second run over the same model, references and μ reuses the store: same tokens, no teacher forcing', async () => {
    const stores = new StoreCache();
    const owner = {};
    const first = cached(stores, owner, {}, corpus);
    const a = await take(first.run, 10);
    expect(first.model.teacherForced).toHaveLength(corpus.length);
    expect(ann(a[0]!).store!.reused).toBeUndefined();
    const second = cached(stores, owner, {}, corpus);
    const b = await take(second.run, 10);
    expect(second.model.teacherForced).toEqual([]);
    expect(b.map((t) => t.id)).toEqual(a.map((t) => t.id));
    expect(b.map((t) => ann(t).neighbours)).toEqual(a.map((t) => ann(t).neighbours));
    expect(ann(b[0]!).store).toEqual({ ...ann(a[0]!).store, reused: true });
  });

  it('other references, another μ or another model build anew; at most two stores per model', async () => {
    const stores = new StoreCache();
    const owner = {};
    await take(cached(stores, owner, {}, corpus).run, 1);
    const builds = async (params: Record<string, number | string>, refs: string[], who: object = owner) => {
      const c = cached(stores, who, params, refs);
      await take(c.run, 1);
      return c.model.teacherForced.length > 0;
    };
    expect(await builds({}, corpus.slice(0, 2))).toBe(true);
    expect(await builds({ answerWeight: 0.5 }, corpus)).toBe(true);
    expect(await builds({}, corpus, {})).toBe(true);
    // The model keeps its two most recent: μ 0.5 and the two references; the first store is gone.
    expect(await builds({ answerWeight: 0.5 }, corpus)).toBe(false);
    expect(await builds({}, corpus.slice(0, 2))).toBe(false);
    expect(await builds({}, corpus)).toBe(true);
  });
});
