// Each built-in ONNX model, run through onnxruntime-node, against the TypeScript reference forward.
import { rmSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, openBuiltin, row3, runDecoder } from '../../scripts/testmodels/ort-node';
import { BOS_ID, PAD_ID, builtinNames, loadSpec, referenceForward, referenceLogits } from '../../scripts/testmodels/reference';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';

const TOL = 1e-4;
const enc = (s: string): number[] => [BOS_ID, ...new TextEncoder().encode(s)];
const PROMPTS = ['Hello, world!', 'a', 'Tiny models 👋 say\n<img src=x onerror=alert(1)>', 'x'.repeat(70)].map(enc);

let dir = '';
beforeAll(() => {
  dir = writeBuiltinModelsToTemp();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(builtinNames)('%s through onnxruntime-node', (name) => {
  let session: InferenceSession;
  beforeAll(async () => {
    session = await openBuiltin(dir, name);
  });

  it('declares the transformers.js decoder interface', () => {
    const n = loadSpec(name).layerSources.length;
    const kv = Array.from({ length: n }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat();
    const present = Array.from({ length: n }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat();
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'position_ids', ...kv]);
    expect(session.outputNames).toEqual(['logits', ...present, 'last_hidden_state']);
  });

  it.each(PROMPTS.map((p, i) => [i, p] as const))('prompt %i matches referenceForward', async (_, ids) => {
    const out = await runDecoder(session, name, { ids: [ids], positions: [ids.map((_, i) => i)], mask: [ids.map(() => 1)] });
    const spec = loadSpec(name);
    expect(out.logits.dims).toEqual([1, ids.length, spec.vocabSize]);
    expect(out.cache[0]?.key.dims).toEqual([1, spec.numKvHeads, ids.length, spec.headDim]);
    const ref = referenceForward(name, ids);
    ids.forEach((_, p) => {
      expect(maxAbsDiff(row3(out.logits, 0, p), ref.logits[p])).toBeLessThanOrEqual(TOL);
      expect(maxAbsDiff(row3(out.lastHidden, 0, p), ref.hidden[p])).toBeLessThanOrEqual(TOL);
    });
  });

  it('batch 2 with left padding matches each row alone, and padded rows stay finite', async () => {
    const [a = [], b = []] = [enc('The left-padded batch'), enc('short')];
    const pad = a.length - b.length;
    // transformers.js convention: positions = cumsum(mask) - 1, padding positions set to 1.
    const positions = [a.map((_, i) => i), b.map((_, i) => i)];
    positions[1] = [...Array<number>(pad).fill(1), ...(positions[1] ?? [])];
    const out = await runDecoder(session, name, {
      ids: [a, [...Array<number>(pad).fill(PAD_ID), ...b]],
      positions,
      mask: [a.map(() => 1), [...Array<number>(pad).fill(0), ...b.map(() => 1)]],
    });
    expect((out.logits.data as Float32Array).every(Number.isFinite)).toBe(true);
    expect((out.lastHidden.data as Float32Array).every(Number.isFinite)).toBe(true);
    const refA = referenceLogits(name, a);
    const refB = referenceLogits(name, b);
    a.forEach((_, p) => expect(maxAbsDiff(row3(out.logits, 0, p), refA[p])).toBeLessThanOrEqual(TOL));
    b.forEach((_, p) => expect(maxAbsDiff(row3(out.logits, 1, pad + p), refB[p])).toBeLessThanOrEqual(TOL));
  });
});
