// Token recycling and ADED (docs/algorithms.md#token-recycling, #aded): pure tables, then the
// strategies over the real decode loop and verifiers with a toy LM (tests/speculative/fake-model.ts).
import { describe, expect, it } from 'vitest';
import type { ParamValue, SpeculativeAnnotations } from '../../protocol';
import { aded } from '../../strategies/draft-free/worker/aded';
import { argmaxCount, NgramTables } from '../../strategies/draft-free/worker/ngram-tables';
import { oneHotParts } from '../../strategies/speculative/worker/parts';
import { AdedProposer, RecyclingProposer } from '../../strategies/draft-free/worker/proposers';
import { RecordingVerifier } from '../../strategies/draft-free/worker/recording';
import { RecyclingMatrix, unigramRow } from '../../strategies/draft-free/worker/recycling-matrix';
import { matrixRecorder, tokenRecycling } from '../../strategies/draft-free/worker/token-recycling';
import { runIteration } from '../../strategies/speculative/worker/iteration';
import type { DecodingStrategy } from '../../strategies/types';
import { Rng } from '../../workers/rng';
import { chiSquare } from '../speculative/chi-square';
import { FakeRunner, greedyReference, summariseRow, toyTarget } from '../speculative/fake-model';
import { decode, fakeJob } from '../speculative/helpers';

const V = 12;
const target = toyTarget(V);
const STORY = [3, 7, 1, 9, 4];
const seed = [1, 5];
const REPETITIVE = [...seed, ...greedyReference(target, seed, 12), ...seed];

/** A "repetitive" toy LM: after id a it prefers (a + 1) mod V strongly, so chains recur. */
const cyclic = (ids: readonly number[]) => {
  const a = ids[ids.length - 1] ?? 0;
  return Array.from({ length: V }, (_, i) => (i === (a + 1) % V ? 6 : target(ids)[i]!));
};

/** TR parts over a fake runner, with the matrix exposed. */
function recyclingParts(t: FakeRunner, params: Record<string, ParamValue> = {}, eosIds: number[] = []) {
  const matrix = new RecyclingMatrix(unigramRow(t.ids));
  const parts = oneHotParts({ params, target: t, draft: null, rng: new Rng(1), topK: 10, eosIds }, 'token recycling', new RecyclingProposer(t, matrix, eosIds), (v) => new RecordingVerifier(v, matrixRecorder(matrix)));
  return { matrix, parts };
}

const ids = (job: { record: { tokens: { id: number }[] } }) => job.record.tokens.map((x) => x.id);
const anns = (job: { record: { tokens: { annotations: unknown }[] } }) => job.record.tokens.map((x) => x.annotations as SpeculativeAnnotations);

describe('token recycling matrix', () => {
  it('starts every row as the prompt’s most frequent ids (ties to the lower id), padded with the lowest free ids', () => {
    expect(unigramRow([5, 3, 5, 9, 3, 5])).toEqual([5, 3, 9, 0, 1, 2, 4, 6]);
    const m = new RecyclingMatrix(unigramRow([2, 2]));
    expect(m.vocab).toBeNull();
    expect(m.row(7)).toEqual([2, 0, 1, 3, 4, 5, 6, 7]);
  });

  it('overwrites a row with a forward’s top ids, counts rows written, follows column 0 and stops after EOS', () => {
    const m = new RecyclingMatrix([0, 1, 2, 3, 4, 5, 6, 7]);
    m.size(10);
    m.update(4, [9, 8, 7, 6, 5, 4, 3, 2]);
    m.update(9, [6, 0, 1, 2, 3, 4, 5, 7]);
    m.update(4, [9, 1, 2, 3, 4, 5, 6, 7]);
    expect([m.written, m.writes, m.isWritten(4), m.isWritten(5)]).toEqual([2, 3, true, false]);
    expect(m.chain(4, 3, []).d).toEqual([9, 6, 0]);
    expect(m.chain(4, 3, [6])).toEqual({ d: [9, 6], rows: [{ from: 4, successors: [9, 1, 2, 3, 4, 5, 6, 7] }, { from: 9, successors: [6, 0, 1, 2, 3, 4, 5, 7] }] });
    expect(m.chain(4, 0, []).d).toEqual([]);
    // An unwritten row is read as the initial row, and marked so.
    expect(m.chain(0, 2, []).rows).toEqual([
      { from: 0, successors: [0, 1, 2, 3, 4, 5, 6, 7], initial: true },
      { from: 0, successors: [0, 1, 2, 3, 4, 5, 6, 7], initial: true },
    ]);
  });

  it('never holds an id ≥ the vocabulary: initial ids outside it become 0, updates outside it are refused', () => {
    const m = new RecyclingMatrix([0, 1, 2, 3, 4, 5, 6, 7]);
    m.size(5);
    for (let u = 0; u < 5; u++) expect(Math.max(...m.row(u))).toBeLessThan(5);
    expect(() => m.update(1, [5])).toThrow(/outside the vocabulary of 5/);
    expect(() => m.update(5, [1])).toThrow(/input id 5/);
    expect(() => m.size(6)).toThrow(/5 rows/);
  });
});

describe('ADED tables', () => {
  it('counts tri-grams and bigrams of the committed text, drafts the largest count (ties to the lower id), falls back to the bigram row', () => {
    const t = new NgramTables();
    t.sync([1, 2, 3, 1, 2, 4, 1, 2]);
    expect(t.trigramRow(1, 2)).toEqual(new Map([[3, 1], [4, 1]]));
    expect(argmaxCount(t.trigramRow(1, 2)!)).toBe(3);
    expect([t.trigrams, t.bigrams]).toEqual([5, 4]);
    // (1,2) → 3; (2,3) → 1; (3,1) → 2; (1,2) → 3 ...
    expect(t.chain([1, 2], 4, []).d).toEqual([3, 1, 2, 3]);
    // (9, 2) was never seen: bigram B[2] = {3: 1, 4: 1} → 3.
    const c = t.chain([9, 2], 1, []);
    expect(c.d).toEqual([3]);
    expect([c.rows[0]!.order, c.rows[0]!.context]).toEqual([2, [2]]);
    // Both rows empty: no draft.
    expect(t.chain([2, 9], 4, []).d).toEqual([]);
    expect(t.chain([1, 2], 4, [1]).d).toEqual([3, 1]);
  });

  it('counts committed text only, once; refuses a rewritten history', () => {
    const t = new NgramTables();
    t.sync([1, 2, 3]);
    t.sync([1, 2, 3]);
    t.sync([1, 2, 3, 1, 2, 3]);
    expect(t.trigramRow(1, 2)!.get(3)).toBe(2);
    expect(() => t.sync([1, 2, 4, 4])).toThrow(/committed ids changed at position 2/);
  });
});

describe('token recycling and ADED decoding on a toy LM', () => {
  const strategies: [string, DecodingStrategy][] = [
    ['token recycling', tokenRecycling],
    ['ADED', aded],
  ];
  for (const [name, strategy] of strategies) {
    for (const [label, fn, prompt] of [
      ['story prompt', target, STORY],
      ['repetitive prompt', target, REPETITIVE],
      ['repetitive model', cyclic, STORY],
    ] as const) {
      it(`greedy ${name} equals target greedy (${label}), τ ∈ [1, L + 1] per iteration`, async () => {
        const t = new FakeRunner(prompt, fn);
        const job = await decode(fakeJob(strategy, { k: 4 }, t, null), 30);
        expect(ids(job)).toEqual(greedyReference(fn, prompt, 30));
        const perIteration = new Map<number, number>();
        for (const a of anns(job)) perIteration.set(a.iteration, (perIteration.get(a.iteration) ?? 0) + 1);
        for (const n of perIteration.values()) expect(n >= 1 && n <= 5).toBe(true);
        expect(t.cached).toBe(t.ids.length - 1);
      });
    }
    it(`${name} with L = 0 is plain greedy: one forward per token, nothing drafted, τ = 1`, async () => {
      const t = new FakeRunner(REPETITIVE, target);
      const job = await decode(fakeJob(strategy, { k: 0 }, t, null), 12);
      expect(ids(job)).toEqual(greedyReference(target, REPETITIVE, 12));
      expect(t.forwards).toBe(12);
      expect(anns(job).every((a) => a.drafted === 0 && a.fate === 'bonus' && a.tau === 1)).toBe(true);
    });
    it(`${name} stops at EOS inside the accepted drafts and equals greedy there`, async () => {
      const eos = 0;
      const fn = (h: readonly number[]) => (h.length >= 12 ? Array.from({ length: V }, (_, i) => (i === eos ? 9 : 0)) : cyclic(h));
      const t = new FakeRunner(STORY, fn);
      const job = await decode(fakeJob(strategy, { k: 6 }, t, null, [eos]), 30, [eos]);
      expect(ids(job)).toEqual(greedyReference(fn, STORY, 30, [eos]));
      expect(ids(job).at(-1)).toBe(eos);
    });
    it(`${name} refuses a chain length outside [0, 16] and Mirostat, naming the parameter`, () => {
      const t = new FakeRunner(STORY, target);
      expect(() => strategy.start({ params: { k: 17 }, target: t, draft: null, rng: new Rng(1), topK: 10 })).toThrow(/k must be/);
      expect(() => strategy.start({ params: { k: 2, temperature: 1, mirostatTau: 3 }, target: t, draft: null, rng: new Rng(1), topK: 10 })).toThrow(/mirostatTau/);
    });
  }

  it('token recycling needs fewer target passes than tokens on a repetitive model; ADED on a repetitive prompt', async () => {
    const t = new FakeRunner(STORY, cyclic);
    await decode(fakeJob(tokenRecycling, { k: 8 }, t, null), 40);
    expect(t.forwards).toBeLessThan(20);
    const a = new FakeRunner(REPETITIVE, target);
    await decode(fakeJob(aded, { k: 8 }, a, null), 12);
    expect(a.forwards).toBeLessThan(6);
  });
});

describe('token recycling oracles', () => {
  for (const params of [{}, { repetitionPenalty: 1.3 }, { temperature: 1, topK: 5 }] as Record<string, ParamValue>[]) {
    it(`after each iteration A[u] = top-8 of the raw logits where u was fed, prompt included (${JSON.stringify(params)})`, async () => {
      const t = new FakeRunner(STORY, cyclic);
      const { matrix, parts } = recyclingParts(t, params);
      const fedAt = new Map<number, number[]>();
      for (let it = 0; it < 6; it++) {
        const before = [...t.ids];
        await runIteration(parts, 4);
        // The last forward fed `fed` after the cached ids (none on the first iteration: the prompt too).
        const fed = t.feeds.at(-1)!;
        const cachedBefore = it === 0 ? 0 : before.length - 1;
        const seq = [...before.slice(0, cachedBefore), ...fed];
        fed.forEach((u, i) => fedAt.set(u, seq.slice(0, cachedBefore + i + 1)));
        for (const [u, ctx] of fedAt) expect(matrix.row(u)).toEqual(summariseRow(cyclic(ctx), 8).topIds);
      }
      expect(matrix.vocab).toBe(V);
      expect(matrix.written).toBe(fedAt.size);
      expect(t.liveLogits).toBe(0);
    });
  }

  it('drafts follow the matrix rows recorded in the annotations; rows never name an id ≥ V', async () => {
    const t = new FakeRunner(STORY, cyclic);
    const job = await decode(fakeJob(tokenRecycling, { k: 5 }, t, null), 40);
    const heads = anns(job).filter((a) => a.drafts);
    expect(heads.length).toBeGreaterThan(3);
    for (const a of heads) {
      const rows = a.recycling!.rows;
      expect(rows.map((r) => r.successors[0])).toEqual(a.drafts!.map((d) => d.id));
      rows.slice(1).forEach((r, i) => expect(r.from).toBe(a.drafts![i]!.id));
      for (const r of rows) expect(r.successors.every((id) => id >= 0 && id < V)).toBe(true);
      expect(a.recycling!.written).toBeLessThanOrEqual(V);
    }
    expect(heads.at(-1)!.recycling!.vocab).toBe(V);
    expect(heads[0]!.recycling!.vocab).toBeNull();
  });
});

describe('ADED oracles', () => {
  it('counts never decrease and every draft is its row’s largest count; the table grows', async () => {
    const t = new FakeRunner(REPETITIVE, target);
    const tables = new NgramTables();
    const parts = oneHotParts({ params: {}, target: t, draft: null, rng: new Rng(1), topK: 10, eosIds: [] }, 'ADED', new AdedProposer(t, tables, []));
    let last = new Map<string, number>();
    for (let it = 0; it < 8; it++) {
      const r = await runIteration(parts, 4);
      const head = r.tokens[0]!.annotations as SpeculativeAnnotations;
      head.aded!.rows.forEach((row, i) => {
        expect(row.next[0]!.id).toBe(head.drafts![i]!.id);
        expect(row.next[0]!.count).toBeGreaterThanOrEqual(1);
        const src = row.order === 3 ? tables.trigramRow(row.context[0]!, row.context[1]!) : tables.bigramRow(row.context[0]!);
        expect(src!.get(head.drafts![i]!.id)).toBeGreaterThanOrEqual(row.next[0]!.count);
      });
      tables.sync(t.ids);
      const now = new Map<string, number>();
      for (let a = 0; a < V; a++) for (let b = 0; b < V; b++) for (const [c, n] of tables.trigramRow(a, b) ?? []) now.set(`${a},${b},${c}`, n);
      for (const [k, n] of last) expect(now.get(k)).toBeGreaterThanOrEqual(n);
      last = now;
    }
    expect(last.size).toBeGreaterThan(REPETITIVE.length - 4);
  });

  it('an empty table drafts nothing: a one-token prompt starts with a plain step', async () => {
    const t = new FakeRunner([4], target);
    const job = fakeJob(aded, { k: 8 }, t, null);
    const { tokens } = await job.run.step();
    expect(tokens.length).toBe(1);
    const a = tokens[0]!.annotations as SpeculativeAnnotations;
    expect([a.drafted, a.fate, a.aded]).toEqual([0, 'bonus', { rows: [], trigrams: 0, bigrams: 0 }]);
    expect(t.forwards).toBe(1);
  });
});

describe('sampling verification (one-hot q) is exact', () => {
  const W = 6;
  const small = toyTarget(W);
  function softmax(z: number[], T: number): number[] {
    const w = z.map((v) => Math.exp(v / T));
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / s);
  }
  for (const [name, strategy] of [
    ['token recycling', tokenRecycling],
    ['ADED', aded],
  ] as const) {
    it(`${name} at temperature 1.2: the first two tokens are distributed as target sampling (chi-square, α = 0.001)`, async () => {
      const prompt = [1, 2, 3, 1, 2];
      const rng = new Rng(777);
      const c1 = new Array<number>(W).fill(0);
      const c2 = new Array<number>(W).fill(0);
      const DRAWS = 12_000;
      for (let n = 0; n < DRAWS; n++) {
        const t = new FakeRunner(prompt, small);
        const run = strategy.start({ params: { k: 3, temperature: 1.2 }, target: t, draft: null, rng, topK: 10, eosIds: [] });
        const out: number[] = [];
        while (out.length < 2) out.push(...(await run.step()).tokens.map((x) => x.id));
        c1[out[0]!]!++;
        c2[out[1]!]!++;
      }
      const p1 = softmax(small(prompt), 1.2);
      const p2 = new Array<number>(W).fill(0);
      p1.forEach((w, a) => softmax(small([...prompt, a]), 1.2).forEach((v, b) => (p2[b]! += w * v)));
      for (const [counts, probs] of [[c1, p1], [c2, p2]] as const) {
        const { stat, critical } = chiSquare(counts, probs);
        expect(stat).toBeLessThan(critical);
      }
    }, 120_000);
  }
});
