import type { LoadedModel } from '../model/loader';
import type { KvCache } from '../model/kv-cache';
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
    private readonly readout: Readout,
    promptIds: number[],
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
    const pending = this.ids.slice(this.cache.length);
    if (pending.length === 0) throw new Error('nothing to feed: commit a token first');
    const { logits, cache } = await this.model.session.forward([pending], this.cache);
    this.forwards++;
    this.cache.dispose();
    this.cache = cache;
    try {
      const [row] = await this.readout.rows(logits, logits.rowIndex(0, -1), 1, k, tokenId === undefined ? undefined : [tokenId]);
      return row!;
    } finally {
      logits.dispose();
    }
  }

  dispose(): void {
    this.cache.dispose();
  }
}
