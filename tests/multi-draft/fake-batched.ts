import type * as ort from 'onnxruntime-web/webgpu';
import type { KvCache } from '../../workers/model/kv-cache';
import { Logits } from '../../workers/model/logits';
import type { ForwardResult } from '../../workers/model/session';
import { FakeRunner } from '../speculative/fake-model';

/** A fake KV cache: the ids each batch row holds. */
export interface FakeCache {
  batch: number;
  length: number;
  rows: number[][];
  dispose(): void;
}

/**
 * FakeRunner with the batched calls of SequenceRunner (forwardBatch, tiledCache, adoptRow) over a fake
 * cache that records the ids of each row; adoptRow checks that the kept row holds the committed ids.
 */
export class FakeBatchedRunner extends FakeRunner {
  /** Live fake caches (tiled or batched) not yet disposed. */
  liveCaches = 0;

  constructor(
    prompt: number[],
    private readonly rowLogits: (ids: readonly number[]) => number[],
  ) {
    super(prompt, rowLogits);
  }

  get cachedLength(): number {
    return this.cached;
  }

  private cache(rows: number[][]): FakeCache {
    this.liveCaches++;
    let alive = true;
    return {
      batch: rows.length,
      length: rows[0]?.length ?? 0,
      rows,
      dispose: () => {
        if (alive) this.liveCaches--;
        alive = false;
      },
    };
  }

  tiledCache(b: number): KvCache {
    if (this.cached !== this.ids.length) throw new Error(`tiledCache needs every committed id fed, ${this.cached} of ${this.ids.length} are`);
    return this.cache(Array.from({ length: b }, () => [...this.ids])) as unknown as KvCache;
  }

  async forwardBatch(rows: number[][], cache: KvCache | null): Promise<ForwardResult> {
    const past = (cache as unknown as FakeCache | null)?.rows ?? rows.map(() => []);
    if (past.length !== rows.length) throw new Error(`batch ${rows.length} over a cache of batch ${past.length}`);
    const len = rows[0]!.length;
    if (rows.some((r) => r.length !== len)) throw new Error('rows of unequal length');
    const data: number[] = [];
    let width = 0;
    rows.forEach((r, b) => {
      for (let t = 0; t < len; t++) {
        const z = this.rowLogits([...past[b]!, ...r.slice(0, t + 1)]);
        width = z.length;
        data.push(...z);
      }
    });
    this.forwards++;
    const tensor = { location: 'cpu', type: 'float32', data: Float32Array.from(data), dims: [rows.length, len, width], dispose: () => undefined };
    const logits = new Logits(tensor as unknown as ort.Tensor, rows.length, len, width, width);
    return { logits, cache: this.cache(rows.map((r, b) => [...past[b]!, ...r])) as unknown as KvCache };
  }

  adoptRow(cache: KvCache, row: number, keep: number, ids: number[]): void {
    const c = cache as unknown as FakeCache;
    const before = this.ids.length;
    if (keep < before || keep > before + ids.length) throw new Error(`adoptRow keeps ${keep} positions, expected ${before} to ${before + ids.length}`);
    this.ids.push(...ids);
    const held = c.rows[row]!.slice(0, keep);
    if (held.length !== keep || held.some((id, i) => id !== this.ids[i])) throw new Error(`row ${row} holds ${held.join(',')}, not the committed ${this.ids.slice(0, keep).join(',')}`);
    this.cached = keep;
  }
}
