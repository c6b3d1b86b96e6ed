import { describe, expect, it } from 'vitest';
import type { SpeculativeAnnotations } from '../../protocol';
import { promptLookup } from '../../strategies/speculative/worker/lookup-match';
import { promptLookupDecoding } from '../../strategies/speculative/worker/prompt-lookup';
import { FakeRunner, greedyReference, toyTarget } from './fake-model';
import { ann, decode, fakeJob } from './helpers';

describe('prompt-lookup match rules', () => {
  it('takes the EARLIEST occurrence of the last n-gram and copies up to k tokens after it', () => {
    //           0  1  2  3  4  5  6  7  8  9
    const ids = [1, 2, 3, 4, 9, 1, 2, 5, 6, 1, 2];
    expect(promptLookup(ids, 2, 3)).toEqual({ start: 0, n: 2, drafts: [3, 4, 9] });
    expect(promptLookup(ids, 2, 10)).toEqual({ start: 0, n: 2, drafts: [3, 4, 9, 1, 2, 5, 6, 1, 2] });
  });

  it('tries n from the maximum down to 1, so a longer match wins over an earlier shorter one', () => {
    //           0  1  2  3  4  5  6  7  8
    const ids = [7, 3, 5, 8, 7, 3, 9, 8, 7, 3];
    // The 3-gram [8, 7, 3] first occurs at 3; the 2-gram [7, 3] would match at 0.
    expect(promptLookup(ids, 3, 2)).toEqual({ start: 3, n: 3, drafts: [9, 8] });
    expect(promptLookup(ids, 2, 2)).toEqual({ start: 0, n: 2, drafts: [5, 8] });
    // No 2-gram [4, 3] occurs earlier: fall back to the 1-gram [3].
    expect(promptLookup([3, 6, 2, 4, 3], 2, 2)).toEqual({ start: 0, n: 1, drafts: [6, 2] });
  });

  it('needs a non-empty continuation: the last n-gram itself never matches', () => {
    expect(promptLookup([1, 2, 3, 4], 2, 5)).toBeNull();
    expect(promptLookup([5], 2, 5)).toBeNull();
    // [2, 2]: the 1-gram [2] at 0 is followed by the final 2.
    expect(promptLookup([2, 2], 2, 5)).toEqual({ start: 0, n: 1, drafts: [2] });
  });

  it('cuts the copied drafts before the first EOS', () => {
    expect(promptLookup([4, 5, 0, 9, 6, 4, 5], 2, 5, [9])).toEqual({ start: 0, n: 2, drafts: [0] });
    expect(promptLookup([4, 5, 9, 6, 4, 5], 2, 5, [9])).toEqual({ start: 0, n: 2, drafts: [] });
  });

  it('rejects bad sizes naming the parameter', () => {
    expect(() => promptLookup([1, 2], 0, 3)).toThrow(/ngram/);
    expect(() => promptLookup([1, 2], 2, 0)).toThrow(/k/);
  });
});

describe('prompt-lookup decoding on a fake model', () => {
  const V = 12;
  const target = toyTarget(V);
  // A prompt that repeats the target's own greedy continuation, so copies get accepted.
  const seed = [1, 5];
  const own = greedyReference(target, seed, 12);
  const PROMPT = [...seed, ...own, ...seed];

  it('equals target greedy and needs fewer target forwards than tokens on a repetitive prompt', async () => {
    const t = new FakeRunner(PROMPT, target);
    const job = await decode(fakeJob(promptLookupDecoding, { k: 10, ngram: 2 }, t, null), 40);
    expect(job.record.tokens.map((x) => x.id)).toEqual(greedyReference(target, PROMPT, 40));
    expect(t.forwards).toBeLessThan(40);
    const first = job.record.tokens[0]!.annotations;
    expect(first.match).toEqual({ start: 0, n: 2 });
    expect(first.acceptedInIteration).toBe(10);
  });

  it('with no match does a plain step: one forward, one token, nothing drafted', async () => {
    const t = new FakeRunner([0, 1, 2, 3], () => Array.from({ length: V }, (_, i) => (i === 4 ? 1 : 0)));
    const job = fakeJob(promptLookupDecoding, { k: 10, ngram: 2 }, t, null);
    const { tokens } = await job.run.step();
    expect(tokens.map((x) => x.id)).toEqual([4]);
    expect(t.forwards).toBe(1);
    expect(t.feeds).toEqual([[0, 1, 2, 3]]);
    const a = tokens[0]!.annotations as SpeculativeAnnotations;
    expect([a.match, a.drafted, a.fate, ann<unknown[]>(a, 'drafts').length]).toEqual([null, 0, 'bonus', 0]);
  });

  it('keeps a request draft runner in step without feeding it', async () => {
    const t = new FakeRunner(PROMPT, target);
    const d = new FakeRunner(PROMPT, target);
    const job = fakeJob(promptLookupDecoding, { k: 4, ngram: 2 }, t, d);
    for (let i = 0; i < 5; i++) await job.run.step();
    expect(d.ids).toEqual(t.ids);
    expect(d.forwards).toBe(0);
    expect(t.cached).toBe(t.ids.length - 1);
  });
});
