import { describe, expect, it } from 'vitest';
import { ContrastiveSearchRun } from '../../strategies/contrastive/worker/cs-run';
import { scoreCandidates } from '../../strategies/contrastive/worker/cs-score';
import { HiddenContext } from '../../strategies/contrastive/worker/hidden-context';
import { Rng } from '../../workers/rng';
import { contrastiveSearch } from '../../strategies/contrastive/worker/contrastive-search';
import { greedy } from '../../strategies/base/worker/greedy';
import type { StrategyRun } from '../../strategies/types';
import { runLoop, type PanelJob } from '../../workers/decode/loop';
import type { TokenSequence } from '../../workers/decode/sequence';
import { FakeSequence, letters } from '../workers/fakes';
import { FakeBranching, hashVector } from './fake-branching';

const V = 12;
const DIM = 8;
/** Peaked logits that depend on the whole prefix, so greedy loops and contrastive search can differ. */
const logitsFor = (ids: number[]) => {
  const last = ids[ids.length - 1]!;
  return Array.from({ length: V }, (_, i) => (i === (last * 5 + 1) % V ? 2 : i === (last + 3) % V ? 1.6 : -0.1 * i + 0.01 * (ids.length % 3)));
};
/** Hidden state of the last position: a function of the last token only, so repeats are penalised. */
const hiddenFor = (ids: number[]) => hashVector([ids[ids.length - 1]!], DIM);

async function run(r: StrategyRun, n: number): Promise<{ ids: number[]; annotations: Record<string, unknown>[] }> {
  const ids: number[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const [t] = (await r.step()).tokens;
    ids.push(t!.id);
    annotations.push(t!.annotations);
  }
  return { ids, annotations };
}

function cs(k: number, alpha: number, prompt = [0, 3]) {
  const model = new FakeBranching(prompt, logitsFor, hiddenFor);
  return { model, run: new ContrastiveSearchRun(model, { k, alpha, topK: 10 }) };
}

async function greedyIds(n: number, prompt = [0, 3]): Promise<number[]> {
  const seq = new FakeSequence(prompt, logitsFor);
  return (await run(greedy.start({ params: {}, target: seq, draft: null, rng: new Rng(1), topK: 10 }), n)).ids;
}

interface Cand {
  id: number;
  prob: number;
  degeneration: number;
  similarTo: number;
  score: number;
}

describe('contrastive search on a fake model', () => {
  it('α = 0 equals greedy, and α = 0.6 departs from it on the same model', async () => {
    const want = await greedyIds(24);
    expect((await run(cs(4, 0).run, 24)).ids).toEqual(want);
    expect((await run(cs(4, 0.6).run, 24)).ids).not.toEqual(want);
  });

  it('k = 1 equals greedy for any α', async () => {
    const want = await greedyIds(24);
    for (const alpha of [0.3, 0.6, 1]) expect((await run(cs(1, alpha).run, 24)).ids).toEqual(want);
  });

  it('picks the top score among the top-k, each candidate scored against the whole context', async () => {
    const { model, run: r } = cs(5, 0.6);
    const { ids, annotations } = await run(r, 20);
    const context = model.ids.slice(0, 2);
    ids.forEach((id, step) => {
      const a = annotations[step] as { candidates: Cand[]; chosenRank: number; contextLength: number };
      expect(a.contextLength).toBe(context.length);
      const row = logitsFor(context);
      const top = row.map((z, i) => ({ z, i })).sort((x, y) => y.z - x.z || x.i - y.i).slice(0, 5);
      expect(a.candidates.map((c) => c.id)).toEqual(top.map((t) => t.i));
      for (const c of a.candidates) {
        expect(c.degeneration).toBeGreaterThanOrEqual(-1);
        expect(c.degeneration).toBeLessThanOrEqual(1);
        const h = hiddenFor([...context, c.id]);
        const cos = context.map((_, j) => cosine(h, hiddenFor(context.slice(0, j + 1))));
        expect(c.degeneration).toBeCloseTo(Math.max(...cos), 5);
        expect(c.similarTo).toBe(cos.indexOf(Math.max(...cos)));
        expect(c.score).toBeCloseTo(0.4 * c.prob - 0.6 * c.degeneration, 12);
      }
      const best = Math.max(...a.candidates.map((c) => c.score));
      expect(a.candidates[a.chosenRank]!.score).toBe(best);
      expect(id).toBe(a.candidates[a.chosenRank]!.id);
      context.push(id);
    });
  });

  it('runs one batched forward per token after the prompt forward', async () => {
    const { model, run: r } = cs(4, 0.6);
    await run(r, 10);
    expect(model.forwards).toBe(11);
  });

  it('runs through the strategy with a fake passed as the branching capability', async () => {
    const fake = new FakeBranching([0, 3], logitsFor, hiddenFor);
    const capabilities = { branching: fake };
    const viaStrategy = contrastiveSearch.start({ params: { k: 4, alpha: 0.6 }, target: new FakeSequence([0, 3], logitsFor), capabilities, draft: null, rng: new Rng(1), topK: 10 });
    expect((await run(viaStrategy, 12)).ids).toEqual((await run(cs(4, 0.6).run, 12)).ids);
    expect(fake.forwards).toBeGreaterThan(0);
  });

  it('refuses a model without last_hidden_state with a clear reason, and a plain sequence too', async () => {
    const { model, run: r } = cs(4, 0.6);
    model.hasHiddenState = false;
    await expect(r.step()).rejects.toThrow(/model-invalid.*last_hidden_state/);
    const plain = contrastiveSearch.start({ params: { k: 4, alpha: 0.6 }, target: new FakeSequence([0], logitsFor), draft: null, rng: new Rng(1), topK: 10 });
    await expect(plain.step()).rejects.toThrow(/last_hidden_state/);
    expect(contrastiveSearch.info.needsHiddenState).toBe(true);
    expect(contrastiveSearch.info.description).toMatch(/last_hidden_state/);
  });
});

function job(target: TokenSequence, run: StrategyRun, strategy: string): PanelJob {
  const stats = { newTokens: 0, targetForwards: 0, draftForwards: 0, wallMs: 0, tokensPerSecond: 0, readbackBytes: 0, finishReason: null, timeToFirstTokenMs: null };
  return { run, target, draft: null, readouts: [], promptIds: [...target.ids], generated: [], record: { strategy, params: {}, text: '', tokens: [], stats } };
}

describe('contrastive search in the decode loop', () => {
  it('a model without hidden states fails only its own panel, with the reason', async () => {
    const fake = new FakeBranching([0, 3], logitsFor, hiddenFor);
    fake.hasHiddenState = false;
    const refused = job(new FakeSequence([0, 3], logitsFor), new ContrastiveSearchRun(fake, { k: 4, alpha: 0.6, topK: 10 }), 'contrastive-search');
    const seq = new FakeSequence([0, 3], logitsFor);
    const other = job(seq, greedy.start({ params: {}, target: seq, draft: null, rng: new Rng(1), topK: 10 }), 'greedy');
    await runLoop({ jobs: [refused, other], maxNewTokens: 5, tokenizer: letters, eosIds: [], interrupted: () => false, emit: () => undefined, isFatal: () => false });
    expect(refused.record.stats.finishReason).toBe('error');
    expect(refused.record.error).toMatch(/last_hidden_state/);
    expect(refused.record.tokens).toHaveLength(0);
    expect(fake.forwards).toBe(0);
    expect(other.record.tokens.map((t) => t.id)).toEqual(await greedyIds(5));
  });
});

describe('scoreCandidates', () => {
  it('trades probability against repetition; ties keep the earlier (more probable) candidate', () => {
    const ctx = new HiddenContext(2);
    ctx.append([1, 0]);
    const cands = [
      { id: 7, prob: 0.6, hidden: [1, 0] },
      { id: 2, prob: 0.3, hidden: [0, 1] },
    ];
    expect(scoreCandidates(cands, ctx, 0).winner).toBe(0);
    expect(scoreCandidates(cands, ctx, 0.6).winner).toBe(1);
    const tie = scoreCandidates([{ id: 3, prob: 0.5, hidden: [0, 1] }, { id: 1, prob: 0.5, hidden: [0, 2] }], ctx, 0.5);
    expect(tie.scored[0]!.score).toBe(tie.scored[1]!.score);
    expect(tie.winner).toBe(0);
    expect(() => scoreCandidates(cands, ctx, 1.5)).toThrow(/alpha must be in \[0, 1\], got 1.5/);
  });
});

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! ** 2;
  });
  return dot / Math.sqrt(na * nb);
}
