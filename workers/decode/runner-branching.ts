import type * as ort from 'onnxruntime-web/webgpu';
import type { RowSummary } from './readout';
import type { SequenceRunner } from './sequence';
import type { KvCache } from '../model/kv-cache';
import type { Logits } from '../model/logits';
import type { BranchingModel } from './branching';
import { readHidden } from './hidden-readback';

interface OpenBranch {
  tokens: number[];
  logits: Logits;
  hidden: ort.Tensor;
  cache: KvCache;
}

/**
 * BranchingModel over a real SequenceRunner: candidate rows share one batched forward over the
 * tiled KV cache (GPU copies on WebGPU); the chosen row's cache is kept with one more copy. Hidden
 * states are read back ([k, d] per step) and counted in the runner's readout bytes.
 */
export class RunnerBranching implements BranchingModel {
  private open: OpenBranch | null = null;

  constructor(private readonly runner: SequenceRunner) {}

  get hasHiddenState(): boolean {
    return this.runner.model.session.facts.hasHiddenState;
  }

  get ids(): readonly number[] {
    return this.runner.ids;
  }

  async prefill(k: number): Promise<{ row: RowSummary; hidden: Float32Array[] }> {
    const { logits, hidden } = await this.runner.forwardPendingHidden();
    try {
      const [row] = await this.runner.readout.rows(logits, logits.rowIndex(0, -1), 1, k);
      // A long prompt came in chunks: one hidden tensor per chunk, in order.
      const rows: Float32Array[] = [];
      for (const h of hidden) rows.push(...(await this.read(h)));
      return { row: row!, hidden: rows };
    } finally {
      logits.dispose();
      for (const h of hidden) h.dispose();
    }
  }

  async branch(tokens: number[]): Promise<Float32Array[]> {
    this.close();
    const out = await this.runner.forwardBranches(tokens);
    this.open = { tokens: [...tokens], ...out };
    return this.read(out.hidden);
  }

  async choose(i: number, k: number): Promise<RowSummary> {
    const o = this.open;
    if (!o) throw new Error('choose needs an open branch');
    const id = o.tokens[i];
    if (id === undefined) throw new RangeError(`branch row must be in [0, ${o.tokens.length}), got ${i}`);
    try {
      this.runner.adoptBranch(id, o.cache, i);
      const [row] = await this.runner.readout.rows(o.logits, o.logits.rowIndex(i, -1), 1, k);
      return row!;
    } finally {
      this.close();
    }
  }

  close(): void {
    const o = this.open;
    this.open = null;
    if (!o) return;
    o.logits.dispose();
    o.hidden.dispose();
    o.cache.dispose();
  }

  private async read(hidden: ort.Tensor): Promise<Float32Array[]> {
    const { rows, bytes } = await readHidden(hidden);
    this.runner.readout.bytes += bytes;
    return rows;
  }
}
