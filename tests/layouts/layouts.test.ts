// Each exporter layout's graphs through onnxruntime-node (CPU) against the reference forward with the
// weights the folder holds: a prefill, cached single steps and a multi-token step with past (the
// shapes speculative verification and CNTP trials use).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { f16BitsToF32 } from '../../kernels/reference/f16';
import { LAYOUTS, layoutFolder, type LayoutName } from '../../scripts/testmodels/layouts';
import { BOS_ID, ReferenceSession } from '../../scripts/testmodels/reference';

const KV_HEADS = 2;
const HEAD_DIM = 16;
const VOCAB = 258;

/** Writes the folder to disk (external data files must sit beside the graph) and opens its sessions. */
async function open(name: LayoutName): Promise<{ decoder: ort.InferenceSession; embed: ort.InferenceSession | null }> {
  const dir = mkdtempSync(join(tmpdir(), `layout-${name}-`));
  for (const f of layoutFolder(name).files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.bytes);
  }
  const onnx = layoutFolder(name).files.filter((f) => f.path.endsWith('.onnx')).map((f) => f.path);
  const decoderPath = onnx.find((p) => !p.includes('embed_tokens'))!;
  const embedPath = onnx.find((p) => p.includes('embed_tokens'));
  return {
    decoder: await ort.InferenceSession.create(join(dir, decoderPath)),
    embed: embedPath ? await ort.InferenceSession.create(join(dir, embedPath)) : null,
  };
}

const toF32 = (t: ort.Tensor): Float32Array => (t.type === 'float16' ? Float32Array.from(t.data as Uint16Array, f16BitsToF32) : (t.data as Float32Array));

async function logitsRows(name: LayoutName, ids: number[], chunks: number[]): Promise<Float32Array[]> {
  const { decoder, embed } = await open(name);
  const kvType = decoder.inputMetadata.find((m) => m.name === 'past_key_values.0.key');
  const f16 = kvType?.isTensor && kvType.type === 'float16';
  let past: Record<string, ort.Tensor> = {};
  for (let l = 0; l < 2; l++) {
    for (const kv of ['key', 'value']) past[`past_key_values.${l}.${kv}`] = f16 ? new ort.Tensor('float16', new Uint16Array(0), [1, KV_HEADS, 0, HEAD_DIM]) : new ort.Tensor('float32', new Float32Array(0), [1, KV_HEADS, 0, HEAD_DIM]);
  }
  const rows: Float32Array[] = [];
  let pos = 0;
  for (const n of chunks) {
    const chunk = ids.slice(pos, pos + n);
    const idsT = new ort.Tensor('int64', BigInt64Array.from(chunk, BigInt), [1, chunk.length]);
    const feeds: Record<string, ort.Tensor> = { ...past, attention_mask: new ort.Tensor('int64', new BigInt64Array(pos + chunk.length).fill(1n), [1, pos + chunk.length]) };
    if (embed) feeds.inputs_embeds = (await embed.run({ input_ids: idsT })).inputs_embeds!;
    else feeds.input_ids = idsT;
    if (decoder.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from(chunk, (_, i) => BigInt(pos + i)), [1, chunk.length]);
    if (decoder.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.from([0n]), []);
    const out = await decoder.run(feeds);
    const lg = toF32(out.logits!);
    chunk.forEach((_, i) => rows.push(lg.slice(i * VOCAB, (i + 1) * VOCAB)));
    past = {};
    for (let l = 0; l < 2; l++) for (const kv of ['key', 'value']) past[`past_key_values.${l}.${kv}`] = out[`present.${l}.${kv}`]!;
    pos += chunk.length;
  }
  return rows;
}

describe('exporter layouts through onnxruntime-node', () => {
  const ids = [BOS_ID, ...new TextEncoder().encode('Once upon a time, there')];
  for (const name of LAYOUTS) {
    it(`${name}: logits equal the reference forward over a prefill, cached steps and a 3-token step`, async () => {
      const rows = await logitsRows(name, ids, [6, 1, 1, 3, 1, 2, 1, 1, 1, 3, 1, 1, 1, 1]);
      expect(rows.length).toBe(ids.length);
      const ref = new ReferenceSession('tiny-llama', layoutFolder(name).reference);
      const want = ids.map((id) => ref.push(id).logits);
      let worst = 0;
      rows.forEach((r, i) => r.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - want[i]![j]!)))));
      expect(worst).toBeLessThanOrEqual(layoutFolder(name).f16 ? 2e-2 : 1e-4);
      // The quantized layouts really are quantized: the fp32 model's logits differ.
      if (name !== 'optimum-external') {
        const plain = new ReferenceSession('tiny-llama');
        const fp32 = ids.map((id) => plain.push(id).logits);
        let apart = 0;
        rows.forEach((r, i) => r.forEach((v, j) => (apart = Math.max(apart, Math.abs(v - fp32[i]![j]!)))));
        expect(apart).toBeGreaterThan(1e-3);
      }
    });
  }

  it('optimum-external keeps its weights out of the graph file, in two data files', () => {
    const files = layoutFolder('optimum-external').files;
    const graph = files.find((f) => f.path === 'onnx/model.onnx')!;
    const data = files.filter((f) => f.path.startsWith('onnx/model.onnx_data'));
    expect(data.map((f) => f.path)).toEqual(['onnx/model.onnx_data', 'onnx/model.onnx_data_1']);
    expect(graph.bytes.length).toBeLessThan(32_000);
    expect(data.every((f) => f.bytes.length > 100_000)).toBe(true);
  });
});
