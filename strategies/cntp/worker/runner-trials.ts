import { drawRows, DrawStore, readDrawnRaw, type FusionHost, type ProcessedRow, type RowDraw } from '../../../workers/decode/fusion';
import type { RowSummary } from '../../../workers/decode/readout';
import type { BatchedSequence } from '../../../workers/decode/sequence';
import type { KvCache } from '../../../workers/model/kv-cache';
import type { Logits } from '../../../workers/model/logits';
import type { ChainParams } from '../../../workers/processors/chain';
import type { TrialBackend, TrialDraw } from './trials';

/** A processed row as a trial draw. */
export function toDraw(r: ProcessedRow): TrialDraw {
  return { id: r.id, logprob: r.processedLogprob, base: r.raw };
}

/**
 * TrialBackend over a panel's target runner. On WebGPU a step of N trials costs, besides its
 * forwards: one submit for the N − 1 first draws together with tiling the KV cache to N rows, one
 * submit per batched forward for the draws of all its active rows (one dispatch chain, 40 bytes read
 * back per row: id, weight, kept mass), and one submit that keeps the winner's KV row and reads the
 * raw summaries of the winner's tokens only (the other rows' summaries never leave the GPU). Draws
 * are bit-identical to processRow's (same kernels, same lanes). On WASM the same calls run on the CPU.
 */
export class RunnerTrials implements TrialBackend {
  private cache: KvCache | null = null;
  /** True once a batched forward ran (the tiled cache then holds the trial rows). */
  private advanced = false;
  private batch: Logits | null = null;
  private fed: number[][] = [];
  private readonly store: DrawStore;
  /** The fusion draw behind each trial draw this backend returned. */
  private readonly drawn = new WeakMap<TrialDraw, RowDraw>();

  constructor(
    private readonly runner: BatchedSequence,
    /** The step's logits, batch 1; its last row is the distribution every trial starts from. */
    private readonly stepLogits: Logits,
    private readonly chain: ChainParams,
    private readonly k: number,
  ) {
    this.store = new DrawStore(runner);
  }

  /** The N − 1 first draws (N = uniforms + 1 trials), with the KV cache tiled to N rows in the same submit. */
  async drawFirst(uniforms: number[]): Promise<TrialDraw[]> {
    const row = this.stepLogits.rowIndex(0, -1);
    const items = uniforms.map((uniform) => ({ row, opts: { chain: this.chain, history: this.runner.ids, uniform, k: this.k } }));
    const n = uniforms.length + 1;
    const tile = (encoder: GPUCommandEncoder | null) => {
      this.cache?.dispose();
      this.cache = this.runner.tiledCache(n, encoder ?? undefined);
      this.fed = Array.from({ length: n }, () => []);
    };
    return this.toTrialDraws(await drawRows(this.host, this.stepLogits, items, this.store, tile));
  }

  async advance(tokens: number[], active: number[], uniforms: number[]): Promise<TrialDraw[]> {
    if (!this.cache || this.cache.batch !== tokens.length) {
      this.cache?.dispose();
      this.cache = this.runner.tiledCache(tokens.length);
      this.fed = tokens.map(() => []);
    }
    const { logits, cache } = await this.runner.forwardBatch(
      tokens.map((t) => [t]),
      this.cache,
    );
    this.advanced = true;
    this.cache.dispose();
    this.cache = cache;
    this.batch?.dispose();
    this.batch = logits;
    tokens.forEach((t, b) => this.fed[b]!.push(t));
    const items = active.map((b, j) => ({
      row: logits.rowIndex(b, 0),
      opts: { chain: this.chain, history: [...this.runner.ids, ...this.fed[b]!], uniform: uniforms[j]!, k: this.k },
    }));
    return this.toTrialDraws(await drawRows(this.host, logits, items, this.store));
  }

  /**
   * Commit the winning trial (batch row `row`, its `draws`) and continue from its row (its last token
   * stays pending); returns the raw summaries of its draws. On WebGPU the KV row copy and the
   * summaries' readback share one submit.
   */
  async adopt(row: number, draws: readonly TrialDraw[]): Promise<RowSummary[]> {
    const ids = draws.map((d) => d.id);
    const rowDraws = draws.map((d) => this.drawn.get(d) ?? { id: d.id, sampled: true, processedProb: Math.exp(d.logprob), processedLogprob: d.logprob, raw: d.base });
    if (!this.advanced || !this.cache) {
      this.runner.commit(ids);
      return readDrawnRaw(this.host, rowDraws);
    }
    const cache = this.cache;
    const keep = this.runner.ids.length + ids.length - 1;
    return readDrawnRaw(this.host, rowDraws, (encoder) => this.runner.adoptRow(cache, row, keep, ids, encoder ?? undefined));
  }

  dispose(): void {
    this.cache?.dispose();
    this.cache = null;
    this.batch?.dispose();
    this.batch = null;
    this.store.dispose();
  }

  private toTrialDraws(draws: RowDraw[]): TrialDraw[] {
    return draws.map((d) => {
      const t: TrialDraw = { id: d.id, logprob: d.processedLogprob, base: d.raw };
      this.drawn.set(t, d);
      return t;
    });
  }

  private get host(): FusionHost {
    return this.runner;
  }
}
