// A long prompt is prefilled in chunks (the real SequenceRunner and ModelSession on onnxruntime-web's
// WASM EP in Node, built-in tiny-llama): same logits as the reference forward, one forward per chunk,
// only the last rows kept (contrastive search's hidden states of every position too), Stop polled
// between chunks; prompts over min(context, cap) are refused.
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOS_ID, referenceForward } from '../../scripts/testmodels/reference';
import { loadTinyLlamaWasm } from '../support/tiny-llama-wasm';
import { Readout } from '../../workers/decode/readout';
import { RunnerBranching } from '../../workers/decode/runner-branching';
import { PREFILL_CHUNK, PREFILL_KEEP, SequenceRunner } from '../../workers/decode/sequence';
import { StopRequested } from '../../workers/decode/stop';
import type { LoadedModel } from '../../workers/model/loader';
import { checkPromptTokens, contextLength, MAX_PROMPT_TOKENS } from '../../workers/validate';

vi.mock('../../workers/runtime/ort', () => ({ configureOrt: () => ort }));

let model: LoadedModel;
let dispose = () => {};

beforeAll(async () => {
  ({ model, dispose } = await loadTinyLlamaWasm());
});
afterAll(() => dispose());

const longPrompt = (n: number) => [BOS_ID, ...Array.from({ length: n - 1 }, (_, i) => 32 + ((i * 7) % 90))];

describe('chunked prefill', () => {
  it('feeds a 600-token prompt in chunks, keeps only the last rows, and gives the reference logits', async () => {
    const prompt = longPrompt(600);
    const runner = new SequenceRunner(model, new Readout(null), prompt, null);
    const logits = await runner.forwardPending();
    try {
      const head = prompt.length - PREFILL_KEEP;
      expect(runner.forwards).toBe(Math.ceil(head / PREFILL_CHUNK) + 1);
      expect(logits.seqLen).toBe(PREFILL_KEEP);
      expect(runner.cachedLength).toBe(600);
      const data = logits.cpuData()!;
      const last = data.subarray(logits.rowIndex(0, -1) * 258, logits.rowIndex(0, -1) * 258 + 258);
      const ref = referenceForward('tiny-llama', prompt).logits;
      const want = ref[ref.length - 1]!;
      let diff = 0;
      for (let i = 0; i < 258; i++) diff = Math.max(diff, Math.abs(last[i]! - want[i]!));
      expect(diff).toBeLessThan(1e-3);
    } finally {
      logits.dispose();
    }
  });

  it("contrastive search's prefill (hidden states of every position) goes in chunks too: every position's hidden state, the reference's", async () => {
    const prompt = longPrompt(600);
    const runner = new SequenceRunner(model, new Readout(null), prompt, null);
    const { row, hidden } = await new RunnerBranching(runner).prefill(5);
    expect(runner.forwards).toBe(Math.ceil((prompt.length - PREFILL_KEEP) / PREFILL_CHUNK) + 1);
    expect(hidden).toHaveLength(600);
    const ref = referenceForward('tiny-llama', prompt);
    for (const i of [0, 1, PREFILL_CHUNK - 1, PREFILL_CHUNK, 400, 599]) {
      const d = Array.from(hidden[i]!).reduce((m, v, j) => Math.max(m, Math.abs(v - ref.hidden[i]![j]!)), 0);
      expect(d, `position ${i}`).toBeLessThan(1e-3);
    }
    const last = ref.logits[599]!;
    expect(row.topIds[0]).toBe(last.indexOf(Math.max(...last)));
  });

  it('a short prompt is one forward; Stop between chunks ends a long prefill', async () => {
    const short = new SequenceRunner(model, new Readout(null), longPrompt(PREFILL_CHUNK), null);
    (await short.forwardPending()).dispose();
    expect(short.forwards).toBe(1);
    const stop = { checkpoint: () => Promise.reject(new StopRequested()) };
    const long = new SequenceRunner(model, new Readout(null), longPrompt(900), null, stop);
    await expect(long.forwardPending()).rejects.toBeInstanceOf(StopRequested);
    expect(long.forwards).toBe(1);
  });
});

describe('prompt length limit', () => {
  it('min(context, cap), naming the length, the limit and where it comes from', () => {
    expect(contextLength({ max_position_embeddings: 512 })).toBe(512);
    expect(contextLength({ n_positions: 1024 })).toBe(1024);
    expect(contextLength({})).toBeNull();
    expect(() => checkPromptTokens(512, [{ spec: 'a', context: 512 }])).not.toThrow();
    expect(() => checkPromptTokens(513, [{ spec: 'builtin:stories260k', context: 512 }, { spec: 'd', context: 4096 }])).toThrow(
      '[bad-request] the prompt is 513 tokens, over the context length of builtin:stories260k (512 tokens): shorten it to at most 512 tokens',
    );
    expect(() => checkPromptTokens(MAX_PROMPT_TOKENS + 1, [{ spec: 'big', context: 32768 }])).toThrow(`over the prompt cap of ${MAX_PROMPT_TOKENS} tokens`);
    expect(() => checkPromptTokens(MAX_PROMPT_TOKENS + 1, [{ spec: 'unknown', context: null }])).toThrow('prompt cap');
  });
});
