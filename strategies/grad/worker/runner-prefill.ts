import type { BatchedSequence } from '../../../workers/decode/sequence';
import type { PrefillReader } from './build';
import { readTokenLogits } from './token-logits';

/**
 * PrefillReader over a panel's target runner: one forward of the runner's model over the padded
 * batch (counted in its forwards, cache discarded), then only Z[b, i, c_{i+1}] of the wanted
 * positions is read back (one readback for the whole batch), counted in the panel's bytes.
 */
export class RunnerPrefill implements PrefillReader {
  constructor(private readonly runner: BatchedSequence) {}

  get width(): number {
    return this.runner.model.session.facts.logitWidth;
  }

  async nextLogits(rows: number[][], wanted: boolean[][]): Promise<(number | null)[][]> {
    const { logits, cache } = await this.runner.forwardBatch(rows, null);
    cache.dispose();
    try {
      const len = rows[0]?.length ?? 0;
      const ids = rows.flatMap((r, b) => r.map((_, i) => (wanted[b]?.[i] ? r[i + 1]! : null)));
      const { values, bytes } = await readTokenLogits(this.runner.gpu, logits, ids);
      this.runner.readout.bytes += bytes;
      return rows.map((r, b) => r.map((_, i) => values[b * len + i] ?? null));
    } finally {
      logits.dispose();
    }
  }
}
