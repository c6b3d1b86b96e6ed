// GRAD's graph built from real model logits: ONE right-padded batched prefill through
// onnxruntime-node (the built-in tiny-llama) against a sequential build, one passage at a time,
// from the TypeScript reference forward. Tolerance 1e-3 per edge weight.
import { rmSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBuiltin, runDecoder } from '../../scripts/testmodels/ort-node';
import { BOS_ID, EOS_ID, TOKENIZER_VOCAB_SIZE, referenceLogits } from '../../scripts/testmodels/reference';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';
import { buildGraph, type PrefillReader } from '../../strategies/grad/worker/build';
import { encodePassages } from '../../strategies/grad/worker/retrieval';

const NAME = 'tiny-llama';
const PASSAGES = [
  'The Moon orbits the Earth.',
  'Mars has two small moons.',
  'Saturn is famous for its bright rings of ice and rock, and Titan is its largest moon.',
  'Ice.',
];
const encode = (text: string): number[] => [BOS_ID, ...new TextEncoder().encode(text)];

/** The padded batch through ORT: logits [B, L, V] of one run, read only where wanted. */
class OrtReader implements PrefillReader {
  readonly width = TOKENIZER_VOCAB_SIZE;
  runs = 0;
  constructor(private readonly session: InferenceSession) {}
  async nextLogits(rows: number[][], wanted: boolean[][]): Promise<(number | null)[][]> {
    this.runs++;
    const len = rows[0]!.length;
    const out = await runDecoder(this.session, NAME, { ids: rows, positions: rows.map((r) => r.map((_, i) => i)), mask: rows.map((r) => r.map(() => 1)) });
    const data = out.logits.data as Float32Array;
    return rows.map((r, b) => r.map((_, i) => (wanted[b]![i] ? data[(b * len + i) * this.width + r[i + 1]!]! : null)));
  }
}

/** One passage at a time through the reference forward (no padding at all). */
const referenceReader: PrefillReader = {
  width: TOKENIZER_VOCAB_SIZE,
  async nextLogits(rows, wanted) {
    if (rows.length !== 1) throw new Error('the sequential reader takes one row at a time');
    const r = rows[0]!;
    const real = r.slice(0, wanted[0]!.lastIndexOf(true) + 2);
    const logits = referenceLogits(NAME, real);
    return [r.map((_, i) => (wanted[0]![i] ? logits[i]![r[i + 1]!]! : null))];
  },
};

let dir = '';
let session: InferenceSession;
beforeAll(async () => {
  dir = writeBuiltinModelsToTemp();
  session = await openBuiltin(dir, NAME);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GRAD graph from the built-in model', () => {
  it('one padded batched prefill equals the sequential reference build within 1e-3', async () => {
    const seqs = encodePassages(PASSAGES, encode);
    const opts = { skipIds: new Set([BOS_ID, EOS_ID]), padId: EOS_ID, maxLogitElems: 1e9 };
    const reader = new OrtReader(session);
    const batched = await buildGraph(seqs, reader, opts);
    const sequential = await buildGraph(seqs, referenceReader, { ...opts, maxRows: 1 });
    expect(reader.runs).toBe(1);
    expect(batched.prefills).toBe(1);
    expect(sequential.prefills).toBe(PASSAGES.length);
    const a = batched.graph.edges();
    const b = sequential.graph.edges();
    expect(a.length).toBeGreaterThan(20);
    // Same edge set except where a weight sits within tolerance of the max(0, ·) clamp.
    const keyed = new Map(b.map(([u, v, w]) => [`${u}>${v}`, w]));
    for (const [u, v, w] of a) expect(Math.abs(w - (keyed.get(`${u}>${v}`) ?? 0))).toBeLessThanOrEqual(1e-3);
    const keyedA = new Map(a.map(([u, v, w]) => [`${u}>${v}`, w]));
    for (const [u, v, w] of b) expect(Math.abs(w - (keyedA.get(`${u}>${v}`) ?? 0))).toBeLessThanOrEqual(1e-3);
  });

  it('the padded rows are really longer than the short passages (the test exercises padding)', () => {
    const lengths = encodePassages(PASSAGES, encode).map((s) => s.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeGreaterThan(50);
  });
});
