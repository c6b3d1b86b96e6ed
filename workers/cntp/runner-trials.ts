import { processRows, type FusionHost, type ProcessedRow } from '../decode/fusion';
import type { SequenceRunner } from '../decode/sequence';
import type { KvCache } from '../model/kv-cache';
import type { Logits } from '../model/logits';
import type { ChainParams } from '../processors/chain';
import type { TrialBackend, TrialDraw } from './trials';

/** A processed row as a trial draw. */
export function toDraw(r: ProcessedRow): TrialDraw {
  return { id: r.id, logprob: r.processedLogprob, base: r.raw };
}

/**
 * TrialBackend over a panel's target runner: the KV cache is tiled to N rows on the GPU (batch
 * copies), every advance is ONE forward of batch N whose active rows are processed and drawn from
 * in ONE processRows batch (one submit and small readback on WebGPU; no row leaves the GPU), the
 * first draws likewise, and the winner's row is kept with one more copy.
 */
export class RunnerTrials implements TrialBackend {
  private cache: KvCache | null = null;
  private batch: Logits | null = null;
  private fed: number[][] = [];

  constructor(
    private readonly runner: SequenceRunner,
    /** The step's logits, batch 1; its last row is the distribution every trial starts from. */
    private readonly stepLogits: Logits,
    private readonly chain: ChainParams,
    private readonly k: number,
  ) {}

  async drawFirst(uniforms: number[]): Promise<TrialDraw[]> {
    const row = this.stepLogits.rowIndex(0, -1);
    const items = uniforms.map((uniform) => ({ row, opts: { chain: this.chain, history: this.runner.ids, uniform, k: this.k } }));
    return (await processRows(this.host, this.stepLogits, items)).map(toDraw);
  }

  async advance(tokens: number[], active: number[], uniforms: number[]): Promise<TrialDraw[]> {
    if (!this.cache) {
      this.cache = this.runner.tiledCache(tokens.length);
      this.fed = tokens.map(() => []);
    }
    const { logits, cache } = await this.runner.forwardBatch(
      tokens.map((t) => [t]),
      this.cache,
    );
    this.cache.dispose();
    this.cache = cache;
    this.batch?.dispose();
    this.batch = logits;
    tokens.forEach((t, b) => this.fed[b]!.push(t));
    const items = active.map((b, j) => ({
      row: logits.rowIndex(b, 0),
      opts: { chain: this.chain, history: [...this.runner.ids, ...this.fed[b]!], uniform: uniforms[j]!, k: this.k },
    }));
    return (await processRows(this.host, logits, items)).map(toDraw);
  }

  /** Commit the winning trial's ids and continue from its row (its last token stays pending). */
  adopt(row: number, ids: number[]): void {
    if (!this.cache) {
      this.runner.commit(ids);
      return;
    }
    this.runner.adoptRow(this.cache, row, this.runner.ids.length + ids.length - 1, ids);
  }

  dispose(): void {
    this.cache?.dispose();
    this.cache = null;
    this.batch?.dispose();
    this.batch = null;
  }

  private get host(): FusionHost {
    return this.runner;
  }
}
