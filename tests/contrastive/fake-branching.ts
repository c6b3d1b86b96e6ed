import type { RowSummary } from '../../workers/decode/readout';
import type { BranchingModel } from '../../workers/decode/branching';
import { summarise } from '../workers/fakes';

/** Deterministic pseudo-random vector [dim] in [−1, 1) from a list of ids (FNV-1a + xorshift). */
export function hashVector(ids: readonly number[], dim: number): Float32Array {
  let h = 2166136261;
  for (const id of ids) h = Math.imul(h ^ (id + 1), 16777619) >>> 0;
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    out[i] = ((h >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/**
 * A fake model for contrastive search: logits and hidden states are pure functions of the ids
 * up to and including the position (so a candidate's hidden state is the same fed in a batch or alone).
 */
export class FakeBranching implements BranchingModel {
  readonly ids: number[];
  forwards = 0;
  hasHiddenState = true;
  private fed = 0;
  private open: number[] | null = null;

  constructor(
    prompt: number[],
    private readonly logitsFor: (ids: number[]) => number[],
    private readonly hiddenFor: (ids: number[]) => Float32Array,
  ) {
    this.ids = [...prompt];
  }

  async prefill(k: number): Promise<{ row: RowSummary; hidden: Float32Array[] }> {
    const hidden = this.ids.slice(this.fed).map((_, i) => this.hiddenFor(this.ids.slice(0, this.fed + i + 1)));
    this.fed = this.ids.length;
    this.forwards++;
    return { row: summarise(this.logitsFor(this.ids), k), hidden };
  }

  async branch(tokens: number[]): Promise<Float32Array[]> {
    if (this.fed !== this.ids.length) throw new Error('branch before the pending ids were fed');
    this.open = [...tokens];
    this.forwards++;
    return tokens.map((t) => this.hiddenFor([...this.ids, t]));
  }

  async choose(i: number, k: number): Promise<RowSummary> {
    const t = this.open?.[i];
    if (t === undefined) throw new Error(`no open branch row ${i}`);
    this.ids.push(t);
    this.fed = this.ids.length;
    this.open = null;
    return summarise(this.logitsFor(this.ids), k);
  }

  close(): void {
    this.open = null;
  }
}
