import type { LoadedModel } from '../model/loader';
import type { KvCache } from '../model/kv-cache';
import { truncateCache } from '../model/kv-ops';
import type { Logits } from '../model/logits';
import type { Readout, RowSummary } from './readout';

/** What the loop and strategies see of a model's sequence (SequenceRunner; fakes in unit tests). */
export interface TokenSequence {
  /** Prompt plus emitted tokens. */
  readonly ids: number[];
  /** Forward passes run so far. */
  readonly forwards: number;
  /** Append emitted tokens; they are fed on the next `next()`. */
  commit(ids: number[]): void;
  /**
   * Feed the pending ids in one forward pass and summarise the logits after the last one.
   * @param k top-k size; @param tokenId also report this id's logit
   */
  next(k: number, tokenId?: number): Promise<RowSummary>;
  /**
   * Feed the pending ids in one forward pass and summarise the logits after EVERY fed position
   * (speculative verification). `tokenIds[i]` asks for that id's logit in row i.
   */
  feed(k: number, tokenIds?: (number | null)[]): Promise<RowSummary[]>;
  /** Drop committed ids beyond `length` and roll the KV cache back to at most `length` positions. */
  truncate(length: number): void;
  /** Feed the pending ids and hand back the raw logits (caller disposes); for fused processing. */
  forwardPending(): Promise<Logits>;
  dispose(): void;
}

/**
 * One model's view of a panel's token sequence: the committed ids, the KV cache over the ones
 * already fed, and counters. `next()` feeds whatever is pending in one forward pass.
 */
export class SequenceRunner implements TokenSequence {
  private cache: KvCache;
  /** Prompt plus emitted tokens. */
  readonly ids: number[];
  forwards = 0;

  constructor(
    readonly model: LoadedModel,
    readonly readout: Readout,
    promptIds: number[],
    /** ORT's GPUDevice on WebGPU (KV copies, kernels), null on WASM. */
    readonly gpu: GPUDevice | null,
  ) {
    this.ids = [...promptIds];
    this.cache = model.session.emptyCache(1);
  }

  /** Positions held in the KV cache. */
  get cachedLength(): number {
    return this.cache.length;
  }

  /** Append emitted tokens; they are fed on the next `next()`. */
  commit(ids: number[]): void {
    this.ids.push(...ids);
  }

  /**
   * Feed the pending ids (all of them in one forward) and summarise the logits after the last one.
   * @param k top-k size; @param tokenId also report this id's logit
   */
  async next(k: number, tokenId?: number): Promise<RowSummary> {
    const logits = await this.forwardPending();
    try {
      const [row] = await this.readout.rows(logits, logits.rowIndex(0, -1), 1, k, tokenId === undefined ? undefined : [tokenId]);
      return row!;
    } finally {
      logits.dispose();
    }
  }

  async feed(k: number, tokenIds?: (number | null)[]): Promise<RowSummary[]> {
    const logits = await this.forwardPending();
    try {
      const out: RowSummary[] = [];
      // The readout handles at most 16 rows per call.
      for (let first = 0; first < logits.seqLen; first += 16) {
        const count = Math.min(16, logits.seqLen - first);
        out.push(...(await this.readout.rows(logits, first, count, k, tokenIds?.slice(first, first + count))));
      }
      return out;
    } finally {
      logits.dispose();
    }
  }

  truncate(length: number): void {
    if (length < 0 || length > this.ids.length) throw new Error(`cannot truncate ${this.ids.length} ids to ${length}`);
    this.ids.length = length;
    if (this.cache.length > length) {
      const next = truncateCache(this.gpu, this.cache, length);
      this.cache.dispose();
      this.cache = next;
    }
  }

  /**
   * One forward over the pending ids, returning the raw logits [1, pending, width] for strategies
   * that process them further (fusion, sampling). The caller must dispose them.
   */
  async forwardPending(): Promise<Logits> {
    const pending = this.ids.slice(this.cache.length);
    if (pending.length === 0) throw new Error('nothing to feed: commit a token first');
    const { logits, cache } = await this.model.session.forward([pending], this.cache);
    this.forwards++;
    this.cache.dispose();
    this.cache = cache;
    return logits;
  }

  dispose(): void {
    this.cache.dispose();
  }
}
