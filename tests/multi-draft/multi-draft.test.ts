// k-chain RSD on fake models (no real model): greedy output == target greedy, rows and caches kept
// right, τ ≥ single-draft speculative, annotations per iteration, parameter errors; sampled first
// token ~ target p (chi-square).
import { describe, expect, it } from 'vitest';
import type { MultiDraftAnnotations } from '../../protocol';
import { multiDraft } from '../../strategies/multi-draft/worker/multi-draft';
import { speculative } from '../../strategies/speculative/worker/speculative';
import { FakeRunner, greedyReference, toyDraft, toyTarget } from '../speculative/fake-model';
import { decode, fakeJob } from '../speculative/helpers';
import { FakeBatchedRunner } from './fake-batched';
import { Rng } from '../../workers/rng';
import { chiSquare } from '../speculative/chi-square';

const V = 12;
const target = toyTarget(V);
const draftFn = toyDraft(target, 0.5);
const PROMPT = [1, 5, 7];

function heads(tokens: { annotations: Record<string, unknown> }[]): MultiDraftAnnotations[] {
  return tokens.map((t) => t.annotations as unknown as MultiDraftAnnotations).filter((a) => a.roots !== undefined);
}

describe('greedy multi-draft (k-chain RSD) on fake models', () => {
  for (const [drafts, k] of [[1, 1], [1, 4], [2, 3], [3, 4], [8, 2], [3, 1]] as const) {
    it(`equals target greedy token for token (drafts = ${drafts}, k = ${k})`, async () => {
      const t = new FakeBatchedRunner(PROMPT, target);
      const d = new FakeBatchedRunner(PROMPT, draftFn);
      const job = await decode(fakeJob(multiDraft, { drafts, k }, t, d), 60);
      expect(job.record.tokens.map((x) => x.id)).toEqual(greedyReference(target, PROMPT, 60));
      expect(t.liveCaches).toBe(0);
      expect(d.liveCaches).toBe(0);
      expect(t.liveLogits).toBe(0);
      // The target's cache holds the committed ids but the last (adoptRow checked them row by row).
      expect(t.cached).toBe(t.ids.length - 1);
      for (const h of heads(job.record.tokens)) {
        expect(h.roots!.length).toBe(Math.min(drafts, V));
        expect(new Set(h.roots!.map((r) => r.id)).size).toBe(h.roots!.length);
        expect(h.chains!.every((c) => c.length >= 1 && c.length <= k)).toBe(true);
        expect(h.roots!.filter((r) => r.fate === 'accepted').length).toBe(h.chain === null ? 0 : 1);
      }
    });
  }

  it('greedy EOS inside an accepted chain ends the output there, like target greedy', async () => {
    const eos = 3;
    const tgt = toyTarget(V, null);
    const withEos = (ids: readonly number[]) => {
      const z = tgt(ids);
      if (ids.length === 9) z[eos] = 10;
      return z;
    };
    const t = new FakeBatchedRunner(PROMPT, withEos);
    const d = new FakeBatchedRunner(PROMPT, withEos);
    const job = await decode(fakeJob(multiDraft, { drafts: 3, k: 4 }, t, d, [eos]), 30, [eos]);
    expect(job.record.tokens.map((x) => x.id)).toEqual(greedyReference(withEos, PROMPT, 30, [eos]));
    expect(job.record.tokens.at(-1)!.id).toBe(eos);
  });

  it('the first chain is the single-draft chain, so τ(multi-draft) ≥ τ(speculative) per iteration from the same state; and overall here', async () => {
    const k = 4;
    const tm = new FakeBatchedRunner(PROMPT, target);
    const dm = new FakeBatchedRunner(PROMPT, draftFn);
    const multi = await decode(fakeJob(multiDraft, { drafts: 3, k }, tm, dm), 80);
    const ts = new FakeRunner(PROMPT, target);
    const ds = new FakeRunner(PROMPT, draftFn);
    const single = await decode(fakeJob(speculative, { k, schedule: 'constant' }, ts, ds), 80);
    const tauM = multi.record.tokens.length / tm.forwards;
    const tauS = single.record.tokens.length / ts.forwards;
    expect(tauM).toBeGreaterThanOrEqual(tauS);
    // Some iteration accepted a chain other than the first (otherwise the extra chains were useless here).
    expect(heads(multi.record.tokens).some((h) => h.chain !== null && h.chain > 0)).toBe(true);
    // Per iteration: from the committed ids of each multi-draft iteration, a single-draft iteration accepts no more.
    for (const h of heads(multi.record.tokens)) {
      if (h.chain === 0 || h.chain === null) continue;
      expect(h.chains![0]![0]!.fate).toBe('rejected');
    }
  });

  it('a draft equal to the target: the first root and its whole chain are accepted, τ = k + 1', async () => {
    const k = 3;
    const t = new FakeBatchedRunner(PROMPT, target);
    const d = new FakeBatchedRunner(PROMPT, target);
    const job = await decode(fakeJob(multiDraft, { drafts: 3, k }, t, d), 40);
    for (const h of heads(job.record.tokens)) {
      expect(h.chain).toBe(0);
      expect(h.acceptedInIteration).toBe(k);
    }
    expect(job.record.tokens.at(-1)!.annotations.tau).toBe(k + 1);
  });

  it('refuses a panel without a draft and bad parameters with clear messages', async () => {
    const t = new FakeBatchedRunner(PROMPT, target);
    await expect(multiDraft.start({ params: { drafts: 3, k: 4 }, target: t, draft: null, rng: new Rng(1), topK: 10 }).step()).rejects.toThrow(/needs a draft model/);
    const d = new FakeBatchedRunner(PROMPT, draftFn);
    expect(() => multiDraft.start({ params: { drafts: 9, k: 4 }, target: t, draft: d, rng: new Rng(1), topK: 10 })).toThrow(/drafts/);
    expect(() => multiDraft.start({ params: { drafts: 2, k: 0 }, target: t, draft: d, rng: new Rng(1), topK: 10 })).toThrow(/k/);
    const plain = new FakeRunner(PROMPT, draftFn);
    await expect(multiDraft.start({ params: { drafts: 2, k: 2 }, target: t, draft: plain, rng: new Rng(1), topK: 10 }).step()).rejects.toThrow(/batched/);
  });
});

describe('sampled multi-draft on fake models', () => {
  const sampling = { drafts: 3, k: 3, temperature: 1 };

  it('runs with valid annotations: fates, stages, uniforms, chains; caches freed', async () => {
    const t = new FakeBatchedRunner(PROMPT, target);
    const d = new FakeBatchedRunner(PROMPT, draftFn);
    const job = await decode(fakeJob(multiDraft, sampling, t, d, [], 7), 60);
    expect(job.record.tokens).toHaveLength(60);
    expect(t.liveCaches + d.liveCaches + t.liveLogits + d.liveLogits).toBe(0);
    const hs = heads(job.record.tokens);
    expect(hs.length).toBeGreaterThan(5);
    for (const h of hs) {
      const roots = h.roots!;
      const tried = roots.filter((r) => r.fate !== 'unverified');
      for (const r of tried) expect(r.r).toBeGreaterThanOrEqual(0);
      if (h.chain === null) expect(roots.every((r) => r.fate === 'rejected' && r.residualMass! > 0)).toBe(true);
      else expect(roots.slice(0, h.chain).every((r) => r.fate === 'rejected')).toBe(true);
      for (const r of roots) expect(r.q).toBeGreaterThan(0);
    }
  });

  it('the first emitted token is distributed as the target p (chi-square, α = 0.001)', async () => {
    // Temperature 1, no warpers: p = softmax of a 6-token toy target at the prompt.
    const V6 = 6;
    const target6 = toyTarget(V6);
    const draft6 = toyDraft(target6, 0.3);
    const z = target6(PROMPT);
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const s = e.reduce((a, b) => a + b, 0);
    const pRow = e.map((x) => x / s);
    const counts = new Array<number>(V6).fill(0);
    const N = 20_000;
    for (let seed = 0; seed < N; seed++) {
      const t = new FakeBatchedRunner(PROMPT, target6);
      const d = new FakeBatchedRunner(PROMPT, draft6);
      const run = multiDraft.start({ params: { drafts: 2, k: 2, temperature: 1 }, target: t, draft: d, rng: new Rng(seed), topK: 10 });
      const out = await run.step();
      counts[out.tokens[0]!.id]!++;
    }
    // Merge the rarest cells (expected < 5) into one so that the test is valid.
    const order = pRow.map((pv, i) => ({ pv, i })).sort((a, b) => a.pv - b.pv);
    const mergedP: number[] = [];
    const mergedC: number[] = [];
    let accP = 0;
    let accC = 0;
    for (const { pv, i } of order) {
      accP += pv;
      accC += counts[i]!;
      if (accP * N >= 5) {
        mergedP.push(accP);
        mergedC.push(accC);
        accP = 0;
        accC = 0;
      }
    }
    if (accP > 0) {
      mergedP[mergedP.length - 1]! += accP;
      mergedC[mergedC.length - 1]! += accC;
    }
    const { stat, critical } = chiSquare(mergedC, mergedP);
    expect(stat).toBeLessThan(critical);
  }, 60_000);
});
