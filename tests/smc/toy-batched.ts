/**
 * A toy model runner for SMC unit tests: CPU logits from a function of the whole history, and a real
 * CPU KV cache whose one value per position is the token id there, so a forward over a batch reads
 * each row's history from its cache row (a wrong KV gather feeds a particle another's prefix).
 * Test files that use it mock workers/runtime/ort (kv-ops' CPU path builds onnxruntime-common tensors).
 */
import { Logits } from '../../workers/model/logits';
import { KvCache } from '../../workers/model/kv-cache';
import { tileCache } from '../../workers/model/kv-ops';
import { Tensor } from 'onnxruntime-common';
import type { ForwardResult } from '../../workers/model/session';
import { CpuSequence } from '../processors/cpuSequence';
import type * as ort from 'onnxruntime-web/webgpu';

function idsCache(rows: number[][]): KvCache {
  const len = rows[0]!.length;
  const t = new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 1, len, 1]);
  return new KvCache(new Map([['past_key_values.0.key', t as unknown as ort.Tensor]]), len, rows.length);
}

function rowsOf(cache: KvCache): number[][] {
  const t = cache.tensors.get('past_key_values.0.key')!;
  const data = t.data as Float32Array;
  return Array.from({ length: cache.batch }, (_, b) => Array.from(data.subarray(b * cache.length, (b + 1) * cache.length)));
}

export class ToyBatched extends CpuSequence {
  private own: KvCache | null = null;
  /** Every history a batched forward computed logits for. */
  readonly batchHistories: number[][][] = [];

  constructor(
    prompt: number[],
    private readonly lm: (ids: number[]) => number[],
  ) {
    super(prompt, lm);
  }

  override async forwardPending(): Promise<never> {
    const out = await super.forwardPending();
    this.own = idsCache([[...this.ids]]);
    return out;
  }

  tiledCache(b: number): KvCache {
    if (!this.own) throw new Error('tiledCache before the prompt was fed');
    return tileCache(null, this.own, b);
  }

  async forwardBatch(rows: number[][], cache: KvCache | null): Promise<ForwardResult> {
    if (!cache || cache.batch !== rows.length) throw new Error('the toy needs a cache of the batch size');
    const hist = rowsOf(cache).map((h, b) => [...h, ...rows[b]!]);
    this.batchHistories.push(hist);
    this.forwards++;
    const width = this.lm(hist[0]!).length;
    const data = Float32Array.from(hist.flatMap((h) => this.lm(h)));
    const tensor = { location: 'cpu', type: 'float32', data, dispose() {} } as unknown as ort.Tensor;
    return { logits: new Logits(tensor, rows.length, 1, width, width), cache: idsCache(hist) };
  }
}
