// Token recycling and ADED over the real SequenceRunner and ModelSession (built-in tiny-llama on
// onnxruntime-web's WASM EP in Node): greedy output is the reference greedy; the matrix rows of the
// prompt prefill and the drafts are the reference logits' top-8; a chunked prefill's early chunks
// (rows the runner drops) write nothing.
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOS_ID, EOS_ID, referenceForward, referenceGreedy } from '../../scripts/testmodels/reference';
import { aded } from '../../strategies/draft-free/worker/aded';
import { oneHotParts } from '../../strategies/speculative/worker/parts';
import { RecyclingProposer } from '../../strategies/draft-free/worker/proposers';
import { RecordingVerifier } from '../../strategies/draft-free/worker/recording';
import { RecyclingMatrix, unigramRow } from '../../strategies/draft-free/worker/recycling-matrix';
import { matrixRecorder, tokenRecycling } from '../../strategies/draft-free/worker/token-recycling';
import { runIteration } from '../../strategies/speculative/worker/iteration';
import type { DecodingStrategy } from '../../strategies/types';
import { Readout } from '../../workers/decode/readout';
import { PREFILL_KEEP, SequenceRunner } from '../../workers/decode/sequence';
import type { LoadedModel } from '../../workers/model/loader';
import { Rng } from '../../workers/rng';
import { loadTinyLlamaWasm } from '../support/tiny-llama-wasm';

vi.mock('../../workers/runtime/ort', () => ({ configureOrt: () => ort }));

let model: LoadedModel;
let dispose = () => {};
beforeAll(async () => {
  ({ model, dispose } = await loadTinyLlamaWasm());
});
afterAll(() => dispose());

const VOCAB = 258;
const phrase = [40, 41, 42, 43, 44, 45];
const REPETITIVE = [BOS_ID, ...phrase, ...phrase, ...phrase.slice(0, 3)];

/** Every id of A[u] is, by the reference logits, as large as the reference's j-th largest (within 1e-3). */
function expectTop8(row: number[], ref: Float32Array): void {
  const sorted = Array.from(ref.subarray(0, VOCAB)).sort((a, b) => b - a);
  row.forEach((id, j) => {
    expect(id).toBeLessThan(VOCAB);
    expect(Math.abs(ref[id]! - sorted[j]!), `rank ${j}: id ${id}`).toBeLessThan(1e-3);
  });
}

describe('draft-free strategies on the real runner (tiny-llama, WASM)', () => {
  for (const [name, strategy] of [
    ['token recycling', tokenRecycling],
    ['ADED', aded],
  ] as [string, DecodingStrategy][]) {
    it(`greedy ${name} equals the reference greedy and leaves committed − 1 positions cached`, async () => {
      const n = 24;
      const runner = new SequenceRunner(model, new Readout(null), REPETITIVE, null);
      const run = strategy.start({ params: {}, target: runner, draft: null, rng: new Rng(1), topK: 10, eosIds: [EOS_ID] });
      const out: number[] = [];
      while (out.length < n && out.at(-1) !== EOS_ID) out.push(...(await run.step()).tokens.map((t) => t.id));
      const ref = referenceGreedy('tiny-llama', REPETITIVE, n).ids;
      expect(out.slice(0, ref.length)).toEqual(ref);
      expect(runner.cachedLength).toBe(runner.ids.length - 1);
      runner.dispose();
    });
  }

  it('after the first iteration every prompt and draft row of A is the reference top-8 where its token was last fed', async () => {
    const runner = new SequenceRunner(model, new Readout(null), REPETITIVE, null);
    const matrix = new RecyclingMatrix(unigramRow(REPETITIVE));
    const parts = oneHotParts({ params: {}, target: runner, draft: null, rng: new Rng(1), topK: 10, eosIds: [] }, 'token recycling', new RecyclingProposer(runner, matrix, []), (v) => new RecordingVerifier(v, matrixRecorder(matrix)));
    const head = await runIteration(parts, 4);
    const drafts = (head.tokens[0]!.annotations as { drafts: { id: number }[] }).drafts.map((d) => d.id);
    expect(drafts).toHaveLength(4);
    const fed = [...REPETITIVE, ...drafts];
    const ref = referenceForward('tiny-llama', fed).logits;
    const lastAt = new Map<number, number>();
    fed.forEach((u, i) => lastAt.set(u, i));
    for (const [u, i] of lastAt) expectTop8(matrix.row(u), ref[i]!);
    expect(matrix.written).toBe(lastAt.size);
    expect(matrix.vocab).toBe(VOCAB);
    runner.dispose();
  });

  it('a chunked prefill updates A from the rows of its last forward only', async () => {
    const prompt = [BOS_ID, ...Array.from({ length: 299 }, (_, i) => 32 + ((i * 7) % 90))];
    const runner = new SequenceRunner(model, new Readout(null), prompt, null);
    const matrix = new RecyclingMatrix(unigramRow(prompt));
    const parts = oneHotParts({ params: {}, target: runner, draft: null, rng: new Rng(1), topK: 10, eosIds: [] }, 'token recycling', new RecyclingProposer(runner, matrix, []), (v) => new RecordingVerifier(v, matrixRecorder(matrix)));
    const res = await runIteration(parts, 2);
    const drafts = (res.tokens[0]!.annotations as { drafts: { id: number }[] }).drafts.map((d) => d.id);
    const fed = [...prompt, ...drafts];
    const lastRows = fed.slice(fed.length - PREFILL_KEEP);
    const seen = new Set(lastRows);
    expect(matrix.written).toBe(seen.size);
    for (const u of new Set(prompt)) expect(matrix.isWritten(u)).toBe(seen.has(u));
    expect(prompt.some((u) => !seen.has(u))).toBe(true);
    runner.dispose();
  }, 60_000);
});
