import type { KvCache } from '../../../workers/model/kv-cache';
import type { Logits } from '../../../workers/model/logits';
import { PREFILL_CHUNK, type BatchedSequence } from '../../../workers/decode/sequence';
import type { StopSignal } from '../../../workers/decode/stop';

/** What the run needs of the expert's sequence (a fake in unit tests). */
export interface ExpertSequence {
  readonly ids: number[];
  commit(ids: number[]): void;
  /** Feed the pending ids; the raw logits of the last fed position are its last row (caller disposes). */
  forwardPending(): Promise<Logits>;
  dispose(): void;
}

/**
 * The expert E of the built-in pair (our interpretation, docs/algorithms.md#w2s): the draft model
 * reading the expert context (expert prefix, then the prompt) in a KV cache of its own, advanced in
 * lock-step with the other two. Its forwards go through the draft runner's `forwardBatch`, so they
 * count as draft forwards; a long context is fed in chunks of PREFILL_CHUNK positions.
 */
export class DraftExpert implements ExpertSequence {
  readonly ids: number[];
  private cache: KvCache | null = null;
  private fed = 0;

  constructor(
    private readonly draft: Pick<BatchedSequence, 'forwardBatch'>,
    contextIds: readonly number[],
    private readonly stop?: StopSignal,
  ) {
    this.ids = [...contextIds];
  }

  commit(ids: number[]): void {
    this.ids.push(...ids);
  }

  async forwardPending(): Promise<Logits> {
    const pending = this.ids.slice(this.fed);
    if (pending.length === 0) throw new Error('nothing to feed: commit a token first');
    for (let at = 0; ; at += PREFILL_CHUNK) {
      const chunk = pending.slice(at, at + PREFILL_CHUNK);
      const last = at + PREFILL_CHUNK >= pending.length;
      const out = await this.draft.forwardBatch([chunk], this.cache);
      this.cache?.dispose();
      this.cache = out.cache;
      this.fed += chunk.length;
      if (last) return out.logits;
      out.logits.dispose();
      await this.stop?.checkpoint();
    }
  }

  dispose(): void {
    this.cache?.dispose();
    this.cache = null;
  }
}
