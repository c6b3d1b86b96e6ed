// transformers.js itself loads the built-in target (AutoModelForCausalLM builds the empty cache
// from the session's input metadata) and its greedy generate on a left-padded batch equals the
// TypeScript reference: the graph honours the library's mask and position conventions.
import { rmSync } from 'node:fs';
import { AutoModelForCausalLM, AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOS_ID, EOS_ID, referenceGreedy } from '../../scripts/testmodels/reference';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';

const NEW_TOKENS = 24;

let dir = '';
beforeAll(() => {
  dir = writeBuiltinModelsToTemp();
  env.localModelPath = `${dir}/`;
  env.allowRemoteModels = false;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tiny-llama in transformers.js', () => {
  it('greedy generate on a left-padded batch of 2 equals referenceGreedy per row', async () => {
    const tok = await AutoTokenizer.from_pretrained('tiny-llama');
    tok.padding_side = 'left';
    const model = await AutoModelForCausalLM.from_pretrained('tiny-llama', { dtype: 'fp32', device: 'cpu' });
    const prompts = ['Once upon a time', 'Hi'];
    const inputs = tok(prompts, { padding: true });
    const out = (await model.generate({ ...inputs, max_new_tokens: NEW_TOKENS, do_sample: false })) as Tensor;
    const rows = (out.tolist() as bigint[][]).map((r) => r.map(Number));
    const width = (inputs.input_ids as Tensor).dims[1] ?? 0;
    prompts.forEach((p, b) => {
      const want = referenceGreedy('tiny-llama', [BOS_ID, ...new TextEncoder().encode(p)], NEW_TOKENS).ids;
      const got = (rows[b] ?? []).slice(width, width + want.length);
      expect(got).toEqual(want);
      if (want.at(-1) !== EOS_ID) expect(want.length).toBe(NEW_TOKENS);
    });
    await model.dispose();
  });
});
