// The real SequenceRunner + ModelSession on onnxruntime-web's WASM EP (in Node), on the built-in
// tiny-llama: candidate hidden states from the batched, tiled-cache forward equal those computed
// by feeding each candidate alone, and contrastive search matches a reference-forward simulation.
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOS_ID, referenceForward, referenceGreedy } from '../../scripts/testmodels/reference';
import { loadTinyLlamaWasm } from '../support/tiny-llama-wasm';
import { RunnerBranching } from '../../workers/decode/runner-branching';
import { ContrastiveSearchRun } from '../../strategies/contrastive/worker/cs-run';
import { HiddenContext } from '../../strategies/contrastive/worker/hidden-context';
import { scoreCandidates } from '../../strategies/contrastive/worker/cs-score';
import { Readout } from '../../workers/decode/readout';
import { SequenceRunner } from '../../workers/decode/sequence';
import type { LoadedModel } from '../../workers/model/loader';

vi.mock('../../workers/runtime/ort', () => ({ configureOrt: () => ort }));

const TOL = 1e-3;
let model: LoadedModel;
let dispose = () => {};

beforeAll(async () => {
  ({ model, dispose } = await loadTinyLlamaWasm());
});
afterAll(() => dispose());

const prompt = [BOS_ID, ...new TextEncoder().encode('Once upon')];
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('RunnerBranching on the WASM EP', () => {
  it('a candidate hidden state in the batch equals the one computed alone', async () => {
    expect(model.session.facts.hasHiddenState).toBe(true);
    const runner = new SequenceRunner(model, new Readout(null), prompt, null);
    const b = new RunnerBranching(runner);
    const { hidden: promptHidden } = await b.prefill(10);
    const ref = referenceForward('tiny-llama', prompt).hidden;
    promptHidden.forEach((h, i) => expect(maxDiff(h, ref[i]!)).toBeLessThanOrEqual(TOL));
    const tokens = [101, 32, 7, 255];
    const batched = await b.branch(tokens);
    for (const [i, t] of tokens.entries()) {
      const alone = new SequenceRunner(model, new Readout(null), [...prompt, t], null);
      const { hidden } = await new RunnerBranching(alone).prefill(10);
      expect(maxDiff(batched[i]!, hidden.at(-1)!)).toBeLessThanOrEqual(TOL);
      expect(maxDiff(batched[i]!, referenceForward('tiny-llama', [...prompt, t]).hidden.at(-1)!)).toBeLessThanOrEqual(TOL);
      alone.dispose();
    }
    // Keeping row 2 continues that branch: its next row is the reference's after prompt + token.
    const row = await b.choose(2, 10);
    const refRow = referenceForward('tiny-llama', [...prompt, 7]).logits.at(-1)!;
    expect(row.topIds[0]).toBe(refRow.indexOf(Math.max(...refRow)));
    expect(runner.ids).toEqual([...prompt, 7]);
    expect(runner.forwards).toBe(2);
    runner.dispose();
  });

  it('contrastive search with α = 0 is greedy, with α = 0.6 follows the reference simulation', async () => {
    const n = 12;
    const ids = async (alpha: number) => {
      const runner = new SequenceRunner(model, new Readout(null), prompt, null);
      const r = new ContrastiveSearchRun(new RunnerBranching(runner), { k: 4, alpha, topK: 10 });
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await r.step()).tokens[0]!.id);
      expect(runner.forwards).toBe(n + 1);
      runner.dispose();
      return out;
    };
    expect(await ids(0)).toEqual(referenceGreedy('tiny-llama', prompt, n).ids);
    const penalised = await ids(0.6);
    expect(penalised).toEqual(simulate(0.6, n));
    // The penalty matters on this prompt, so the comparison above is not greedy against greedy.
    expect(penalised).not.toEqual(referenceGreedy('tiny-llama', prompt, n).ids);
  });
});

/** Contrastive search over the TypeScript reference forward (no KV cache, no batching). */
function simulate(alpha: number, n: number): number[] {
  const seq = [...prompt];
  const out: number[] = [];
  for (let s = 0; s < n; s++) {
    const { logits, hidden } = referenceForward('tiny-llama', seq);
    const context = new HiddenContext(hidden[0]!.length);
    hidden.forEach((h) => context.append(h));
    const row = Array.from(logits.at(-1)!.slice(0, 258));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((a, z) => a + Math.exp(z - max), 0));
    const top = row.map((z, i) => ({ z, i })).sort((x, y) => y.z - x.z || x.i - y.i).slice(0, 4);
    const cands = top.map((t) => ({ id: t.i, prob: Math.exp(t.z - lse), hidden: referenceForward('tiny-llama', [...seq, t.i]).hidden.at(-1)! }));
    const id = cands[scoreCandidates(cands, context, alpha).winner]!.id;
    out.push(id);
    seq.push(id);
  }
  return out;
}
