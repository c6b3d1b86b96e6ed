// Properties of the reference helpers that the end-to-end tests rely on, checked on hand-built rows.
import { describe, expect, it } from 'vitest';
import { BOS_ID, TOKENIZER_VOCAB_SIZE, ReferenceSession, maskedGreedyPick, referenceGreedy, referenceLogits } from '../../scripts/testmodels/reference';

describe('maskedGreedyPick', () => {
  it('breaks ties towards the lower id and ignores rows ≥ the tokenizer size', () => {
    const row = new Float32Array(320);
    row[7] = 3;
    row[5] = 3;
    row[300] = 100;
    const pick = maskedGreedyPick(row, TOKENIZER_VOCAB_SIZE);
    expect(pick.id).toBe(5);
    const z = 2 * Math.exp(3) + (TOKENIZER_VOCAB_SIZE - 2);
    expect(pick.prob).toBeCloseTo(Math.exp(3) / z, 12);
    expect(pick.logprob).toBeCloseTo(3 - Math.log(z), 12);
  });

  it('gives entropy ln(V) and prob 1/V on a flat row', () => {
    const pick = maskedGreedyPick(new Float32Array(TOKENIZER_VOCAB_SIZE).fill(-2), TOKENIZER_VOCAB_SIZE);
    expect(pick.id).toBe(0);
    expect(pick.prob).toBeCloseTo(1 / TOKENIZER_VOCAB_SIZE, 12);
    expect(pick.entropy).toBeCloseTo(Math.log(TOKENIZER_VOCAB_SIZE), 10);
  });
});

describe('referenceGreedy', () => {
  it('follows the argmax of referenceLogits and reports consistent stats', () => {
    const prompt = [BOS_ID, ...new TextEncoder().encode('Once upon a time')];
    const g = referenceGreedy('tiny-llama', prompt, 12);
    const rows = referenceLogits('tiny-llama', [...prompt, ...g.ids.slice(0, -1)]);
    g.ids.forEach((id, i) => expect(maskedGreedyPick(rows[prompt.length - 1 + i] ?? new Float32Array()).id).toBe(id));
    g.probs.forEach((p, i) => expect(Math.log(p)).toBeCloseTo(g.logprobs[i] ?? NaN, 9));
    g.entropies.forEach((h) => expect(h).toBeGreaterThan(0));
  });

  it('stops right after emitting EOS', () => {
    // Treat the first greedy id as the stop id: generation must end right after emitting it.
    const prompt = [BOS_ID, ...new TextEncoder().encode('Hello')];
    const first = referenceGreedy('tiny-llama', prompt, 1).ids[0] ?? -1;
    expect(referenceGreedy('tiny-llama', prompt, 10, first).ids).toEqual([first]);
    expect(referenceGreedy('tiny-llama', prompt, 10).ids.length).toBe(10);
  });

  it('runs 64 greedy tokens in well under a second', () => {
    const t0 = performance.now();
    referenceGreedy('tiny-llama', [BOS_ID, ...new TextEncoder().encode('Speed check')], 64);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects bad input with a named error', () => {
    expect(() => referenceGreedy('tiny-llama', [], 4)).toThrow(/promptIds/);
    expect(() => referenceGreedy('nope', [BOS_ID], 4)).toThrow(/name must be one of/);
    expect(() => new ReferenceSession('tiny-llama').push(258)).toThrow(/id must be an integer in \[0, 258\)/);
  });
});
