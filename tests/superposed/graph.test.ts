// Superposed decoding's variant graph (onnx/model_superposed.onnx) through onnxruntime-node on the
// built-in stories260K and stories-draft: a one-hot superposition is exactly the token's embedding, so
// its forward equals the ids forward (logits and KV within 1e-4), continuing the ids graph's cache;
// a real mix gives other logits; the ids graph keeps its interface.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { LLAMA2C_DIR } from '../../scripts/testmodels/trained';
import { convertLlama2c, SUPERPOSED_GRAPH } from '../../workers/llama2c/convert';
import { maxDiff, open, step, type Past } from '../llama2c/ort-run';

const data = (name: string): Uint8Array => readFileSync(`${LLAMA2C_DIR}${name}`);
const fileOf = (conv: ReturnType<typeof convertLlama2c>, path: string): Uint8Array => conv.files.find((f) => f.path === path)!.bytes;

/** One superposed position after `past`. */
async function mixStep(s: ort.InferenceSession, h: { nLayers: number }, ids: number[], weights: number[], past: Past): Promise<{ row: Float32Array; past: Past }> {
  const pastLen = past['past_key_values.0.key']!.dims[2] as number;
  const feeds: Record<string, ort.Tensor> = {
    mix_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, 1, ids.length]),
    mix_weights: new ort.Tensor('float32', Float32Array.from(weights), [1, 1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLen + 1).fill(1n), [1, pastLen + 1]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(pastLen)]), [1, 1]),
    ...past,
  };
  const out = await s.run(feeds);
  const next: Past = {};
  for (let l = 0; l < h.nLayers; l++) for (const kv of ['key', 'value']) next[`past_key_values.${l}.${kv}`] = out[`present.${l}.${kv}`]!;
  return { row: out.logits!.data as Float32Array, past: next };
}

function pastDiff(a: Past, b: Past): number {
  return Math.max(...Object.keys(a).map((k) => maxDiff(a[k]!.data as Float32Array, b[k]!.data as Float32Array)));
}

describe('superposed-input graph of the built-in checkpoints', () => {
  const prompt = [1, 403, 407, 261, 378, 30];
  for (const name of ['stories260K.bin', 'stories-draft.bin']) {
    it(`${name}: a one-hot mix equals the ids forward after the ids graph's cache (|Δ| ≤ 1e-4, logits and KV)`, async () => {
      const conv = convertLlama2c(data(name), data('tok512.bin'));
      const ids = await open(fileOf(conv, 'onnx/model.onnx'));
      const sup = await open(fileOf(conv, SUPERPOSED_GRAPH));
      expect(sup.inputNames.slice(0, 4)).toEqual(['mix_ids', 'mix_weights', 'attention_mask', 'position_ids']);
      expect(sup.outputNames).not.toContain('layer_logits');
      expect(ids.inputNames[0]).toBe('input_ids');
      const pre = await step(ids, conv.header, prompt, null);
      let pastIds = pre.past;
      let pastMix = pre.past;
      let worst = 0;
      for (const v of [200, 100, 7, 511]) {
        const a = await step(ids, conv.header, [v], pastIds);
        // The one-hot as one entry, and padded with weight-0 entries (how the session pads a batch).
        const b = await mixStep(sup, conv.header, [v], [1], pastMix);
        const c = await mixStep(sup, conv.header, [v, 42, 300], [1, 0, 0], pastMix);
        worst = Math.max(worst, maxDiff(a.rows[0]!, b.row), maxDiff(a.rows[0]!, c.row), pastDiff(a.past, b.past));
        pastIds = a.past;
        pastMix = b.past;
      }
      expect(worst).toBeLessThanOrEqual(1e-4);
      await Promise.all([ids.release(), sup.release()]);
    });
  }

  it('a real mix is neither token: its logits differ from both one-hot forwards (the test can fail)', async () => {
    const conv = convertLlama2c(data('stories260K.bin'), data('tok512.bin'));
    const ids = await open(fileOf(conv, 'onnx/model.onnx'));
    const sup = await open(fileOf(conv, SUPERPOSED_GRAPH));
    const pre = await step(ids, conv.header, prompt, null);
    const a = await mixStep(sup, conv.header, [200], [1], pre.past);
    const b = await mixStep(sup, conv.header, [100], [1], pre.past);
    const m = await mixStep(sup, conv.header, [200, 100], [0.5, 0.5], pre.past);
    expect(maxDiff(a.row, m.row)).toBeGreaterThan(1e-2);
    expect(maxDiff(b.row, m.row)).toBeGreaterThan(1e-2);
    await Promise.all([ids.release(), sup.release()]);
  });

  it('config.json names the variant graph', () => {
    const conv = convertLlama2c(data('stories260K.bin'), data('tok512.bin'));
    const config = JSON.parse(new TextDecoder().decode(fileOf(conv, 'config.json'))) as { logitscope: { superposedGraph: string } };
    expect(config.logitscope.superposedGraph).toBe(SUPERPOSED_GRAPH);
    expect(conv.files.some((f) => f.path === SUPERPOSED_GRAPH)).toBe(true);
    // Large page imports leave it out, and the config then names none.
    const without = convertLlama2c(data('stories260K.bin'), data('tok512.bin'), { superposedGraph: false });
    expect(without.files.some((f) => f.path === SUPERPOSED_GRAPH)).toBe(false);
    const c2 = JSON.parse(new TextDecoder().decode(fileOf(without, 'config.json'))) as { logitscope: Record<string, unknown> };
    expect(c2.logitscope.superposedGraph).toBeUndefined();
  });
});
