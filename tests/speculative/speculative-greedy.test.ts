import { describe, expect, it } from 'vitest';
import type { SpeculativeAnnotations } from '../../protocol';
import type { DraftRecord } from '../../strategies/speculative/worker/iteration';
import { speculative } from '../../strategies/speculative/worker/speculative';
import { FakeRunner, greedyReference, toyDraft, toyTarget } from './fake-model';
import { ann, decode, fakeJob } from './helpers';

const V = 12;
const target = toyTarget(V);
const draftFn = toyDraft(target, 0.5);
const PROMPT = [1, 5, 7];

/** Group token records by their iteration annotation. */
function iterations(tokens: { annotations: Record<string, unknown> }[]): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = [];
  for (const t of tokens) {
    const it = ann<number>(t.annotations, 'iteration');
    (out[it] ??= []).push(t.annotations);
  }
  return out;
}

describe('greedy speculative decoding on fake models', () => {
  for (const params of [{ k: 1, schedule: 'constant' }, { k: 3, schedule: 'constant' }, { k: 8, schedule: 'constant' }, { k: 4, schedule: 'heuristic' }]) {
    it(`equals target greedy token for token (k = ${params.k}, ${params.schedule})`, async () => {
      const t = new FakeRunner(PROMPT, target);
      const d = new FakeRunner(PROMPT, draftFn);
      const job = await decode(fakeJob(speculative, params, t, d), 60);
      expect(job.record.tokens.map((x) => x.id)).toEqual(greedyReference(target, PROMPT, 60));
      // The draft disagrees sometimes: fewer target forwards than tokens, but at least one rejection.
      expect(job.record.stats.targetForwards).toBeLessThan(60);
      expect(job.record.tokens.some((x) => ann(x.annotations, 'fate') === 'resampled')).toBe(true);
    });
  }

  it('a draft equal to the target has every draft accepted: τ = k + 1 and one target forward per iteration', async () => {
    const k = 3;
    const t = new FakeRunner(PROMPT, target);
    const d = new FakeRunner(PROMPT, target);
    const job = await decode(fakeJob(speculative, { k, schedule: 'constant' }, t, d), 40);
    const its = iterations(job.record.tokens);
    expect(its.length).toBe(10);
    for (const it of its) {
      expect(it.map((a) => a.fate)).toEqual(['accepted', 'accepted', 'accepted', 'bonus']);
      expect(it.every((a) => a.acceptedInIteration === k)).toBe(true);
    }
    expect(t.forwards).toBe(10);
    const last = job.record.tokens.at(-1)!.annotations;
    expect(last.tau).toBe(k + 1);
    expect(last.alpha).toBe(1);
    expect(job.record.tokens.map((x) => x.id)).toEqual(greedyReference(target, PROMPT, 40));
  });

  it('emits 1..k+1 tokens per iteration and reports each draft with p, q and fate', async () => {
    const k = 5;
    const t = new FakeRunner(PROMPT, target);
    const d = new FakeRunner(PROMPT, draftFn);
    const job = fakeJob(speculative, { k, schedule: 'constant' }, t, d);
    const tokens = [];
    for (let i = 0; i < 25; i++) tokens.push(...(await job.run.step()).tokens);
    const its = iterations(tokens);
    expect(its).toHaveLength(25);
    for (const it of its) {
      expect(it.length).toBeGreaterThanOrEqual(1);
      expect(it.length).toBeLessThanOrEqual(k + 1);
      const drafts = it[0]!.drafts as DraftRecord[];
      expect(drafts).toHaveLength(k);
      const acc = it[0]!.acceptedInIteration as number;
      expect(drafts.map((x) => x.fate)).toEqual(drafts.map((_, j) => (j < acc ? 'accepted' : j === acc ? 'rejected' : 'discarded')));
      for (const x of drafts) {
        expect(x.p).toBeGreaterThan(0);
        expect(x.p).toBeLessThanOrEqual(1);
        expect(x.q).toBeGreaterThan(0);
      }
    }
    const last = tokens.at(-1)!.annotations as SpeculativeAnnotations;
    expect(last.tau).toBeCloseTo(tokens.length / t.forwards, 12);
    expect(t.forwards).toBe(25);
    expect(tokens.map((x) => x.id)).toEqual(greedyReference(target, PROMPT, tokens.length));
    const acc = its.reduce((s, it) => s + (it[0]!.acceptedInIteration as number), 0);
    expect(last.alpha).toBeCloseTo(acc / (its.length * k), 12);
  });

  it('rolls back both caches: target holds committed − 1, the draft catches up on the missing tokens', async () => {
    const t = new FakeRunner(PROMPT, target);
    const d = new FakeRunner(PROMPT, draftFn);
    const job = fakeJob(speculative, { k: 4, schedule: 'constant' }, t, d);
    for (let i = 0; i < 12; i++) {
      const { tokens } = await job.run.step();
      expect(d.ids).toEqual(t.ids);
      expect(t.cached).toBe(t.ids.length - 1);
      expect(d.cached).toBeLessThanOrEqual(d.ids.length - 1);
      const allAccepted = (tokens[0]!.annotations as SpeculativeAnnotations).acceptedInIteration === 4;
      // After a full accept the draft never fed d_k: it must feed [d_k, t] next time.
      expect(d.ids.length - d.cached).toBe(allAccepted ? 2 : 1);
    }
    // Every draft forward after the first fed exactly the committed tokens it was missing, then one draft each.
    expect(d.feeds.slice(1).every((f) => f.length === 1 || f.length === 2)).toBe(true);
  });

  it('the heuristic schedule adds 2 on a full accept, subtracts 1 otherwise and never goes below 1', async () => {
    const never = toyDraft(target, 0);
    const job = await decode(fakeJob(speculative, { k: 4, schedule: 'heuristic' }, new FakeRunner(PROMPT, target), new FakeRunner(PROMPT, never)), 10);
    const ks = iterations(job.record.tokens).map((it) => it[0]!.k);
    expect(ks).toEqual([4, 3, 2, 1, 1, 1, 1, 1, 1, 1]);
    const same = await decode(fakeJob(speculative, { k: 2, schedule: 'heuristic' }, new FakeRunner(PROMPT, target), new FakeRunner(PROMPT, target)), 3 + 5 + 7);
    expect(iterations(same.record.tokens).map((it) => it[0]!.k)).toEqual([2, 4, 6]);
  });

  it('an EOS inside the accepted drafts ends the iteration there: nothing after it is emitted or committed', async () => {
    const EOS = 11;
    // The toy model (EOS never best) until the sequence is 20 ids long, where EOS wins.
    const withEos = (ids: readonly number[]) => {
      const z = toyTarget(V, EOS)(ids);
      if (ids.length === 20) z[EOS] = 10;
      return z;
    };
    const ref = greedyReference(withEos, [0], 200, [EOS]);
    expect(ref.at(-1)).toBe(EOS);
    const eosPos = ref.length - 1;
    for (const k of [2, 8]) {
      const t = new FakeRunner([0], withEos);
      const d = new FakeRunner([0], withEos);
      const job = fakeJob(speculative, { k, schedule: 'constant' }, t, d, [EOS]);
      const emitted: number[] = [];
      let last: Record<string, unknown> = {};
      while (!emitted.includes(EOS)) {
        const { tokens } = await job.run.step();
        emitted.push(...tokens.map((x) => x.id));
        last = tokens.at(-1)!.annotations;
      }
      expect(emitted).toEqual(ref);
      expect(t.ids.length).toBe(1 + eosPos + 1);
      expect(last.fate).toBe('accepted');
      // Full iterations of k drafts before the EOS iteration, which stops drafting at the EOS.
      expect(d.forwards).toBe(Math.floor(eosPos / (k + 1)) * k + (eosPos % (k + 1)) + 1);
      expect(d.ids.at(-1)).toBe(EOS);
    }
  });
});
