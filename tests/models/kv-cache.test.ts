// KV-cache decoding (prefill, then one token per call feeding present.* back as past_key_values)
// must equal a full recompute, for batch 1 and for a left-padded batch of 2.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, openBuiltin, row3, runDecoder, type KvCache } from '../../scripts/testmodels/ort-node';
import { BOS_ID, PAD_ID, builtinNames, referenceLogits } from '../../scripts/testmodels/reference';
import { writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';

const TOL = 1e-4;
const enc = (s: string): number[] => [BOS_ID, ...new TextEncoder().encode(s)];
const ones = (n: number): number[] => Array<number>(n).fill(1);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

let dir = '';
beforeAll(() => {
  dir = writeBuiltinModelsToTemp();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(builtinNames)('%s KV cache', (name) => {
  it('prefill + single-token steps equal one full forward', async () => {
    const session = await openBuiltin(dir, name);
    const ids = enc('KV cache decoding must equal a full recompute.');
    const full = await runDecoder(session, name, { ids: [ids], positions: [range(0, ids.length)], mask: [ones(ids.length)] });
    const prefill = 9;
    let step = await runDecoder(session, name, { ids: [ids.slice(0, prefill)], positions: [range(0, prefill)], mask: [ones(prefill)] });
    for (let p = 0; p < prefill; p++) expect(maxAbsDiff(row3(step.logits, 0, p), row3(full.logits, 0, p))).toBeLessThanOrEqual(TOL);
    for (let p = prefill; p < ids.length; p++) {
      step = await runDecoder(session, name, { ids: [[ids[p] ?? 0]], positions: [[p]], mask: [ones(p + 1)], past: step.cache });
      expect(step.logits.dims[1]).toBe(1);
      expect(maxAbsDiff(row3(step.logits, 0, 0), row3(full.logits, 0, p))).toBeLessThanOrEqual(TOL);
    }
    step.cache.forEach((kv, i) => {
      const want = full.cache[i];
      expect(kv.key.dims).toEqual(want?.key.dims);
      expect(maxAbsDiff(kv.key.data as Float32Array, want?.key.data as Float32Array)).toBeLessThanOrEqual(TOL);
      expect(maxAbsDiff(kv.value.data as Float32Array, want?.value.data as Float32Array)).toBeLessThanOrEqual(TOL);
    });
  });

  it('left-padded batch of 2 decodes each row like the reference does alone', async () => {
    const session = await openBuiltin(dir, name);
    const rows = [enc('a longer first prompt'), enc('second')];
    const tails = [[...new TextEncoder().encode(' and more')], [...new TextEncoder().encode(' things!!')]];
    const width = Math.max(...rows.map((r) => r.length));
    const pads = rows.map((r) => width - r.length);
    const padded = rows.map((r, b) => [...Array<number>(pads[b] ?? 0).fill(PAD_ID), ...r]);
    const mask = rows.map((r, b) => [...Array<number>(pads[b] ?? 0).fill(0), ...ones(r.length)]);
    const positions = rows.map((r, b) => [...Array<number>(pads[b] ?? 0).fill(1), ...range(0, r.length)]);
    let out = await runDecoder(session, name, { ids: padded, positions, mask });
    let cache: KvCache = out.cache;
    const refs = rows.map((r, b) => referenceLogits(name, [...r, ...(tails[b] ?? [])]));
    rows.forEach((r, b) => expect(maxAbsDiff(row3(out.logits, b, width - 1), refs[b]?.[r.length - 1])).toBeLessThanOrEqual(TOL));
    for (let t = 0; t < (tails[0]?.length ?? 0); t++) {
      mask.forEach((m) => m.push(1));
      const ids = tails.map((tail) => [tail[t] ?? 0]);
      out = await runDecoder(session, name, { ids, positions: rows.map((r) => [r.length + t]), mask, past: cache });
      cache = out.cache;
      rows.forEach((r, b) => expect(maxAbsDiff(row3(out.logits, b, 0), refs[b]?.[r.length + t])).toBeLessThanOrEqual(TOL));
    }
    expect(cache[0]?.key.dims[2]).toBe(width + (tails[0]?.length ?? 0));
  });
});
