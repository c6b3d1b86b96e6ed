import * as ort from 'onnxruntime-web';
import { Readout, type RowSummary } from '../../workers/decode/readout';
import type { TokenSequence } from '../../workers/decode/sequence';
import { Logits } from '../../workers/model/logits';

/**
 * A fake model whose raw logits (CPU tensors, as on the WASM path) are a pure function of the ids
 * so far; it has the `gpu` (null) and `readout` a FusionHost needs, so strategies run the real CPU
 * fusion over hand-built rows.
 */
export class FakeLogitsSequence implements TokenSequence {
  readonly ids: number[];
  forwards = 0;
  readonly gpu = null;
  readonly readout = new Readout(null);
  private fed = 0;

  constructor(
    prompt: number[],
    private readonly logitsFor: (ids: number[]) => number[],
    /** Ids the tokenizer defines; entries beyond are masked. */
    private readonly validVocab?: number,
  ) {
    this.ids = [...prompt];
  }

  commit(ids: number[]): void {
    this.ids.push(...ids);
  }

  async forwardPending(): Promise<Logits> {
    if (this.fed === this.ids.length) throw new Error('nothing to feed');
    this.fed = this.ids.length;
    this.forwards++;
    const row = Float32Array.from(this.logitsFor(this.ids));
    const t = new ort.Tensor('float32', row, [1, 1, row.length]);
    return new Logits(t as never, 1, 1, row.length, this.validVocab ?? row.length);
  }

  async next(k: number): Promise<RowSummary> {
    const logits = await this.forwardPending();
    const [row] = await this.readout.rows(logits, 0, 1, k);
    return row!;
  }

  feed(): Promise<RowSummary[]> {
    return Promise.reject(new Error('not used'));
  }

  truncate(): void {
    throw new Error('not used');
  }

  dispose(): void {}
}
