// CAAD on the real SequenceRunner + ModelSession (onnxruntime-web's WASM EP in Node, the built-in
// random-weight tiny-llama, byte tokens): the teacher-forced store's keys are the reference
// forward's normalised hidden states, and a store of exactly the prompt + answer with a large λ
// reproduces the answer, which greedy alone does not.
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOS_ID, referenceForward, referenceGreedy } from '../../scripts/testmodels/reference';
import { loadTinyLlamaWasm } from '../support/tiny-llama-wasm';
import { CaadRun, type CaadTokenizer } from '../../strategies/caad/worker/caad-run';
import { RunnerCaadModel } from '../../strategies/caad/worker/runner-model';
import { parseCaadSettings } from '../../strategies/caad/worker/settings';
import { Readout } from '../../workers/decode/readout';
import { SequenceRunner } from '../../workers/decode/sequence';
import type { LoadedModel } from '../../workers/model/loader';
import type { CaadAnnotations } from '../../protocol';
import { Rng } from '../../workers/rng';

vi.mock('../../workers/runtime/ort', () => ({ configureOrt: () => ort }));

let model: LoadedModel;
let dispose = () => {};

beforeAll(async () => {
  ({ model, dispose } = await loadTinyLlamaWasm());
});
afterAll(() => dispose());

const bytes = (s: string) => [...new TextEncoder().encode(s)];
/** tiny-llama's byte tokens, BOS first as the prompt is encoded. */
const tokenizer: CaadTokenizer = { encode: (t) => [BOS_ID, ...bytes(t)], decode: (ids) => String.fromCharCode(...ids.filter((i) => i < 256)) };
const PROMPT = 'Once upon';
const ANSWER = ' a purple dog';

describe('CAAD on the WASM EP (tiny-llama)', () => {
  it('a store of the prompt + answer reproduces the answer with a large λ; greedy alone does not', async () => {
    const promptIds = [BOS_ID, ...bytes(PROMPT)];
    const answer = bytes(ANSWER);
    // The random-weight model's hidden states point almost the same way at every position (cos ≈ 0.99
    // between different contexts), so a sharp T_r lets the exact context's position decide.
    const runner = new SequenceRunner(model, new Readout(null), promptIds, null);
    const caad = new RunnerCaadModel(runner);
    const run = new CaadRun(runner, caad, parseCaadSettings({ corpusName: 'none', lambda: 50, retrievalTemperature: 0.001 }), tokenizer, async () => [PROMPT + ANSWER], new Rng(1), 10);
    const out: number[] = [];
    const anns: CaadAnnotations[] = [];
    for (let i = 0; i < answer.length; i++) {
      const [t] = (await run.step()).tokens;
      out.push(t!.id);
      anns.push(t!.annotations as CaadAnnotations);
    }
    expect(out).toEqual(answer);
    const greedy = referenceGreedy('tiny-llama', promptIds, answer.length).ids.slice(promptIds.length);
    expect(greedy).not.toEqual(answer);
    const store = anns[0]!.store!;
    expect(store).toMatchObject({ references: 1, entries: promptIds.length + answer.length - 1, dim: 64, capped: false });
    expect(store.readbackBytes).toBeGreaterThan(0);
    // Each step's best neighbour is the reference position of the same context (cos ≈ 1), predicting the answer's token.
    anns.forEach((a, i) => {
      expect(a.neighbours[0]!.similarity).toBeGreaterThan(0.999);
      expect(a.neighbours[0]!.position).toBe(promptIds.length - 1 + i);
      expect(a.neighbours[0]!.nextId).toBe(answer[i]);
    });
    // One teacher-forced forward for the store, then one per step.
    expect(runner.forwards).toBe(1 + answer.length);
    runner.dispose();
  });

  it('the teacher-forced hidden states and rows are the reference forward’s', async () => {
    const ids = [BOS_ID, ...bytes('Once upon a time')];
    const runner = new SequenceRunner(model, new Readout(null), [BOS_ID], null);
    const { hidden, rows } = await new RunnerCaadModel(runner).teacherForce(ids);
    const ref = referenceForward('tiny-llama', ids);
    expect(hidden.length).toBe(ids.length);
    hidden.forEach((h, i) => h.forEach((x, j) => expect(Math.abs(x - ref.hidden[i]![j]!)).toBeLessThan(1e-3)));
    rows.forEach((r, i) => {
      const z = ref.logits[i]!;
      expect(r.topIds.length).toBe(64);
      expect(r.topIds[0]).toBe(z.indexOf(Math.max(...z)));
      if (i + 1 < ids.length) expect(Math.abs(r.tokenLogit! - z[ids[i + 1]!]!)).toBeLessThan(1e-3);
    });
    runner.dispose();
  });
});
