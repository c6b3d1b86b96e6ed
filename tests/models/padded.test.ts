// tiny-llama-padded: lm_head rows ≥ the tokenizer size would win an unmasked argmax, so an
// implementation that forgets to mask them fails; the masked reference never emits them.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBuiltin, row3, runDecoder } from '../../scripts/testmodels/ort-node';
import { BOS_ID, TOKENIZER_VOCAB_SIZE, loadSpec, referenceGreedy, referenceLogits } from '../../scripts/testmodels/reference';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';

const PADDED = 'tiny-llama-padded';
const enc = (s: string): number[] => [BOS_ID, ...new TextEncoder().encode(s)];
const PROMPTS = ['Once upon a time', 'padding rows must be masked', '👋\n'].map(enc);

const argmax = (row: Float32Array): number => row.reduce((best, v, i, a) => (v > (a[best] ?? -Infinity) ? i : best), 0);

let dir = '';
beforeAll(() => {
  dir = writeBuiltinModelsToTemp();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tiny-llama-padded', () => {
  it('has more lm_head rows than tokenizer ids', () => {
    expect(loadSpec(PADDED).vocabSize).toBeGreaterThan(TOKENIZER_VOCAB_SIZE);
    expect(loadSpec('tiny-llama').vocabSize).toBe(TOKENIZER_VOCAB_SIZE);
  });

  it('unmasked argmax lands on a padded row at every position (reference and ONNX)', async () => {
    const session = await openBuiltin(dir, PADDED);
    for (const ids of PROMPTS) {
      const out = await runDecoder(session, PADDED, { ids: [ids], positions: [ids.map((_, i) => i)], mask: [ids.map(() => 1)] });
      referenceLogits(PADDED, ids).forEach((row, p) => {
        expect(row.length).toBe(loadSpec(PADDED).vocabSize);
        expect(argmax(row)).toBeGreaterThanOrEqual(TOKENIZER_VOCAB_SIZE);
        expect(argmax(row3(out.logits, 0, p))).toBeGreaterThanOrEqual(TOKENIZER_VOCAB_SIZE);
      });
    }
  });

  it('masked greedy never emits a padded id and equals tiny-llama (same first 258 rows)', () => {
    for (const ids of PROMPTS) {
      const padded = referenceGreedy(PADDED, ids, 48);
      expect(padded.ids.length).toBeGreaterThan(0);
      expect(padded.ids.every((id) => id < TOKENIZER_VOCAB_SIZE)).toBe(true);
      expect(padded).toEqual(referenceGreedy('tiny-llama', ids, 48));
    }
  });
});
