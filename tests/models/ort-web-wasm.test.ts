// The same graphs on onnxruntime-web's WASM execution provider (the browser fallback path), run in
// Node: a left-padded batch of 2, then one cached decode step, against the reference.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../scripts/testmodels/ort-node';
import { BOS_ID, PAD_ID, builtinNames, loadSpec, referenceLogits } from '../../scripts/testmodels/reference';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';

const TOL = 1e-4;
const i64 = (rows: number[][]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, rows[0]?.length ?? 0]);

let dir = '';
beforeAll(() => {
  ort.env.wasm.numThreads = 1;
  dir = writeBuiltinModelsToTemp();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(builtinNames)('%s on onnxruntime-web wasm', (name) => {
  it('left-padded batch prefill and a cached step match the reference', async () => {
    const spec = loadSpec(name);
    const session = await ort.InferenceSession.create(readFileSync(join(dir, name, 'onnx', 'model.onnx')), { executionProviders: ['wasm'] });
    const a = [BOS_ID, ...new TextEncoder().encode('wasm fallback')];
    const b = [BOS_ID, ...new TextEncoder().encode('pad')];
    const pad = a.length - b.length;
    const mask = [a.map(() => 1), [...Array<number>(pad).fill(0), ...b.map(() => 1)]];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: i64([a, [...Array<number>(pad).fill(PAD_ID), ...b]]),
      attention_mask: i64(mask),
      position_ids: i64([a.map((_, i) => i), [...Array<number>(pad).fill(1), ...b.map((_, i) => i)]]),
    };
    const empty = new ort.Tensor('float32', new Float32Array(0), [2, spec.numKvHeads, 0, spec.headDim]);
    spec.layerSources.forEach((_, i) => (feeds[`past_key_values.${i}.key`] = feeds[`past_key_values.${i}.value`] = empty));
    const pre = await session.run(feeds);
    const v = spec.vocabSize;
    const logits = (out: ort.InferenceSession.OnnxValueMapType, row: number, pos: number, seq: number): Float32Array =>
      (out.logits?.data as Float32Array).slice((row * seq + pos) * v, (row * seq + pos + 1) * v);
    const next = [65, 66];
    const refA = referenceLogits(name, [...a, next[0] ?? 0]);
    const refB = referenceLogits(name, [...b, next[1] ?? 0]);
    expect(maxAbsDiff(logits(pre, 0, a.length - 1, a.length), refA[a.length - 1])).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(logits(pre, 1, a.length - 1, a.length), refB[b.length - 1])).toBeLessThanOrEqual(TOL);
    const step: Record<string, ort.Tensor> = {
      input_ids: i64(next.map((t) => [t])),
      attention_mask: i64(mask.map((m) => [...m, 1])),
      position_ids: i64([[a.length], [b.length]]),
    };
    spec.layerSources.forEach((_, i) => {
      for (const kind of ['key', 'value']) {
        const t = pre[`present.${i}.${kind}`];
        if (!t) throw new Error(`present.${i}.${kind} missing`);
        step[`past_key_values.${i}.${kind}`] = t;
      }
    });
    const out = await session.run(step);
    expect(maxAbsDiff(logits(out, 0, 0, 1), refA[a.length])).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(logits(out, 1, 0, 1), refB[b.length])).toBeLessThanOrEqual(TOL);
    await session.release();
  });
});
