import type { LoadedModel } from '../model/loader';
import type { KvCache } from '../model/kv-cache';
import type * as ort from 'onnxruntime-web/webgpu';
import { LogitscopeError } from '../errors';
import { selectCacheRow, tileCache, truncateCache } from '../model/kv-ops';
import type { Logits } from '../model/logits';
import type { ForwardResult, TokenMix } from '../model/session';
import type { BranchingModel } from './branching';
import { Readout, type RowSummary } from './readout';
import { RunnerBranching } from './runner-branching';
import type { LabTag } from './lab';
import type { StopSignal } from './stop';
import { MirostatState } from '../processors/mirostat';
import { readLens, type LensLayerTop, type LensLog } from './lens';

/** Positions fed per forward in a long prefill (their logits rows are dropped right away). */
export const PREFILL_CHUNK = 256;
/** Positions the last forward of a chunked prefill always covers (≥ the 33 rows a verifier reads). */
export const PREFILL_KEEP = 64;

/** What the loop and strategies see of a model's sequence (SequenceRunner; fakes in unit tests). */
export interface TokenSequence {
  /** Prompt plus emitted tokens. */
  readonly ids: number[];
  /** Forward passes run so far. */
  readonly forwards: number;
  /** Append emitted tokens; they are fed on the next `next()`. */
  commit(ids: number[]): void;
  /**
   * Feed the pending ids (one forward pass; a long prompt in chunks) and summarise the logits after
   * the last one.
   * @param k top-k size; @param tokenId also report this id's logit
   */
  next(k: number, tokenId?: number): Promise<RowSummary>;
  /**
   * Feed the pending ids in one forward pass and summarise the logits after EVERY fed position
   * (speculative verification), or after the last `lastRows` of them (the first verification also
   * feeds the prompt, whose rows nobody reads). `tokenIds[i]` asks for that id's logit in row i.
   */
  feed(k: number, tokenIds?: (number | null)[], lastRows?: number): Promise<RowSummary[]>;
  /** Drop committed ids beyond `length` and roll the KV cache back to at most `length` positions. */
  truncate(length: number): void;
  /** Feed the pending ids and hand back the raw logits (caller disposes); for fused processing. */
  forwardPending(): Promise<Logits>;
  /** ORT's GPUDevice on WebGPU, null on WASM: where the fused processing of its logits runs (a FusionHost). */
  readonly gpu: GPUDevice | null;
  /** The panel's readout: summaries of its logits; readback bytes add to `readout.bytes`. */
  readonly readout: Readout;
  /** The run's Mirostat v2 state (a FusionHost's): SequenceRunner keeps one, fakes may. */
  readonly mirostat?: MirostatState;
  /**
   * The logit lens recorded for the token after `prefix` (on exactly that prefix), taken once;
   * undefined when the runner recorded none there (no lens, or a row inside a longer forward).
   */
  takeLens?(prefix: readonly number[]): Promise<LensLayerTop[] | undefined>;
  dispose(): void;
}

/**
 * A sequence capability (SequenceCapabilities.batched): forwards of the panel's model over batches
 * outside its own sequence, from an empty cache or a tiled copy of its own (GRAD's corpus prefill,
 * CNTP's trial batch), and adopting one row of such a batch; and its own feed with every layer's
 * logits (DoLa). A SequenceRunner is one.
 */
export type BatchedSequence = TokenSequence & Pick<SequenceRunner, 'model' | 'gpu' | 'readout' | 'forwardBatch' | 'tiledCache' | 'adoptRow' | 'forwardPendingLayers'>;

/**
 * What a panel's target sequence can do beyond TokenSequence, as the engine provides it
 * (`SequenceRunner.capabilities()`); a strategy that needs one refuses the panel when it is absent.
 * Any implementation of the interfaces may be passed (unit tests pass their own).
 */
export interface SequenceCapabilities {
  /** Batched forwards beside the sequence (GRAD, CNTP). */
  batched?: BatchedSequence;
  /** Hidden states and batched candidate branches (contrastive search). */
  branching?: BranchingModel;
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
  /** The panel's logit lab log and this runner's model, when the panel records one (step mode). */
  lab: LabTag | null = null;
  /**
   * Mirostat v2 state of this panel run (workers/processors/mirostat.ts): a runner lives for one
   * run, so μ starts at 2τ per run; processRows on this runner reads and updates it.
   */
  readonly mirostat = new MirostatState();
  /**
   * Set (by the service) when the run records the logit lens and the model outputs `layer_logits`:
   * every feed's last forward then also reads each layer's top tokens at its last position.
   */
  lens: LensLog | null = null;

  constructor(
    readonly model: LoadedModel,
    readonly readout: Readout,
    promptIds: number[],
    /** ORT's GPUDevice on WebGPU (KV copies, kernels), null on WASM. */
    readonly gpu: GPUDevice | null,
    /** Polled between the chunks of a long prefill (Stop); absent in tests that never stop. */
    private readonly stop?: StopSignal,
  ) {
    this.ids = [...promptIds];
    this.cache = model.session.emptyCache(1);
  }

  /** The capabilities this runner provides: batched forwards, and hidden-state branches over it. */
  capabilities(): SequenceCapabilities {
    return { batched: this, branching: new RunnerBranching(this) };
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

  async feed(k: number, tokenIds?: (number | null)[], lastRows?: number): Promise<RowSummary[]> {
    const pending = this.ids.length - this.cache.length;
    if (lastRows !== undefined && (!Number.isInteger(lastRows) || lastRows < 1 || lastRows > pending)) {
      throw new Error(`lastRows must be an integer from 1 to the ${pending} pending ids, got ${lastRows}`);
    }
    const logits = await this.forwardPending();
    try {
      const rows = lastRows ?? pending;
      if (rows > logits.seqLen) throw new Error(`a chunked prefill keeps the last ${logits.seqLen} rows, ${rows} were asked for: pass lastRows`);
      return await this.readout.rows(logits, logits.seqLen - rows, rows, k, tokenIds);
    } finally {
      logits.dispose();
    }
  }

  takeLens(prefix: readonly number[]): Promise<LensLayerTop[] | undefined> {
    return this.lens ? this.lens.take(prefix) : Promise.resolve(undefined);
  }

  /** The lens's own readout (its GPU reads queue apart from the step's); its bytes count in `readout`. */
  private lensReadout: Readout | null = null;

  /**
   * Start reading the lens of `layers` beside the step's own work (on WebGPU its submit goes out at
   * once and its map overlaps the strategy's readback); `layers` is disposed when the read is done,
   * unless the caller keeps it (`keep`, DoLa), in which case the caller disposes it later.
   */
  private recordLens(layers: Logits, keep: boolean): void {
    const log = this.lens!;
    this.lensReadout ??= new Readout(this.gpu);
    const lensReadout = this.lensReadout;
    const before = lensReadout.bytes;
    const read = readLens(lensReadout, layers).finally(() => {
      this.readout.bytes += lensReadout.bytes - before;
      if (!keep) layers.dispose();
    });
    log.record(this.ids, read);
  }

  truncate(length: number): void {
    if (length < 0 || length > this.ids.length) throw new Error(`cannot truncate ${this.ids.length} ids to ${length}`);
    this.ids.length = length;
    this.lens?.truncate(length);
    if (this.cache.length > length) {
      const next = truncateCache(this.gpu, this.cache, length);
      this.cache.dispose();
      this.cache = next;
    }
  }

  /**
   * Feed the pending ids, returning the raw logits of the last of them [1, n, width] for strategies
   * that process them further (fusion, sampling); the caller must dispose them. A long pending run
   * (the prompt) is fed in chunks of PREFILL_CHUNK positions whose logits are dropped at once, so a
   * prefill never holds more than a chunk's rows; the last forward covers at least PREFILL_KEEP
   * positions (every row a strategy reads: the step's last, or a verified draft's). Stop is polled
   * between chunks.
   */
  async forwardPending(): Promise<Logits> {
    return (await this.feedPending(false, false)).logits;
  }

  /**
   * Like `forwardPending`, also returning `layer_logits` of the last fed position (the logit lens of
   * every layer, rows 0 … L; DoLa), or null when the model has none. The caller disposes both.
   */
  async forwardPendingLayers(): Promise<{ logits: Logits; layers: Logits | null }> {
    const { logits, layers } = await this.feedPending(false, true);
    return { logits, layers: layers ?? null };
  }

  /**
   * Like `forwardPending`, also returning `last_hidden_state` of every fed position (contrastive
   * search): one tensor [1, n_c, d] per forward, in order (a chunk's hidden states are kept: d
   * floats per position, not a vocabulary row). The caller disposes the logits and every hidden
   * tensor.
   */
  async forwardPendingHidden(): Promise<{ logits: Logits; hidden: ort.Tensor[] }> {
    const { logits, hidden } = await this.feedPending(true, false);
    return { logits, hidden };
  }

  /**
   * The chunked feed of `forwardPending`, with each forward's hidden states when `withHidden` and
   * the last forward's layer logits when `withLayers` (the lens, when recorded, reads them too).
   */
  private async feedPending(withHidden: boolean, withLayers: boolean): Promise<{ logits: Logits; hidden: ort.Tensor[]; layers?: Logits }> {
    const pending = this.ids.slice(this.cache.length);
    if (pending.length === 0) throw new Error('nothing to feed: commit a token first');
    const head = pending.length > PREFILL_CHUNK ? pending.length - PREFILL_KEEP : 0;
    const hidden: ort.Tensor[] = [];
    // Takes the new cache and (when asked for) the hidden states of one forward.
    const advance = (out: ForwardResult) => {
      this.forwards++;
      this.cache.dispose();
      this.cache = out.cache;
      if (!withHidden) return;
      if (!out.hidden) throw new LogitscopeError('model-invalid', `${this.model.source.spec} exports no last_hidden_state output`);
      hidden.push(out.hidden);
    };
    try {
      for (let at = 0; at < head; at += PREFILL_CHUNK) {
        const chunk = pending.slice(at, Math.min(head, at + PREFILL_CHUNK));
        const out = await this.model.session.forward([chunk], this.cache, { hidden: withHidden });
        out.logits.dispose();
        advance(out);
        await this.stop?.checkpoint();
      }
      const layers = withLayers || this.lens !== null;
      const out = await this.model.session.forward([pending.slice(head)], this.cache, { hidden: withHidden, layers });
      try {
        advance(out);
      } catch (e) {
        out.logits.dispose();
        out.layers?.dispose();
        throw e;
      }
      if (out.layers && this.lens) this.recordLens(out.layers, withLayers);
      else if (!withLayers) out.layers?.dispose();
      if (withLayers) return out.layers ? { logits: out.logits, hidden, layers: out.layers } : { logits: out.logits, hidden };
      return { logits: out.logits, hidden };
    } catch (e) {
      for (const h of hidden) h.dispose();
      throw e;
    }
  }

  /**
   * Feed `tokens[i]` as batch row i after the committed ids (all already fed), over the cache tiled
   * `tokens.length` times, in ONE forward: logits [b, 1, width], last_hidden_state [b, 1, d] and the
   * batch-b cache. The runner is unchanged until `adoptBranch`; the caller disposes the result.
   */
  async forwardBranches(tokens: number[]): Promise<{ logits: Logits; hidden: ort.Tensor; cache: KvCache }> {
    if (this.cache.length !== this.ids.length) throw new Error(`forwardBranches needs every committed id fed, ${this.cache.length} of ${this.ids.length} are`);
    if (tokens.length < 1) throw new Error('forwardBranches needs at least one token');
    const tiled = tileCache(this.gpu, this.cache, tokens.length);
    try {
      const { logits, cache, hidden } = await this.model.session.forward(tokens.map((t) => [t]), tiled, { hidden: true });
      this.forwards++;
      if (!hidden) {
        logits.dispose();
        cache.dispose();
        throw new LogitscopeError('model-invalid', `${this.model.source.spec} exports no last_hidden_state output`);
      }
      return { logits, hidden, cache };
    } finally {
      tiled.dispose();
    }
  }

  /** Commit `id`, the token fed in row `row` of `branch` (from `forwardBranches`), and continue from that row's cache. */
  adoptBranch(id: number, branch: KvCache, row: number): void {
    if (branch.length !== this.ids.length + 1) throw new Error(`branch cache holds ${branch.length} positions, expected ${this.ids.length + 1}`);
    const next = selectCacheRow(this.gpu, branch, row);
    this.cache.dispose();
    this.cache = next;
    this.ids.push(id);
  }

  /**
   * One forward of this runner's model over `rows` ([batch][len], equal lengths) after `cache` (null:
   * empty), outside the runner's own sequence (GRAD's corpus prefill, CNTP's trial batch); counted in
   * `forwards`. The input cache is left intact; the caller disposes the result.
   */
  async forwardBatch(rows: number[][], cache: KvCache | null): Promise<ForwardResult> {
    const past = cache ?? this.model.session.emptyCache(rows.length);
    try {
      const out = await this.model.session.forward(rows, past);
      this.forwards++;
      return out;
    } finally {
      if (!cache) past.dispose();
    }
  }

  /**
   * One forward of the model's superposed-input variant (superposed decoding): each batch row feeds one
   * position, a weighted mix of token embeddings, after `cache`; counted in `forwards`. The input cache
   * is left intact; the caller disposes the result.
   */
  async forwardSuperposed(mix: TokenMix[], cache: KvCache): Promise<ForwardResult> {
    const out = await this.model.session.forwardSuperposed(mix, cache);
    this.forwards++;
    return out;
  }

  /**
   * A copy of the KV cache tiled to `b` rows (CNTP trials); every committed id must be fed. The caller
   * owns it. With `encoder` the GPU copies are recorded there and the caller submits them before use.
   */
  tiledCache(b: number, encoder?: GPUCommandEncoder): KvCache {
    if (this.cache.length !== this.ids.length) throw new Error(`tiledCache needs every committed id fed, ${this.cache.length} of ${this.ids.length} are`);
    return tileCache(this.gpu, this.cache, b, encoder);
  }

  /**
   * Commit `ids` (CNTP's winning trial) and continue from batch row `row` of `cache`, keeping its first
   * `keep` positions, which must lie in [committed ids before, committed ids after]. With `encoder`
   * the GPU copy is recorded there and the caller submits it before the next forward, while `cache`
   * is alive.
   */
  adoptRow(cache: KvCache, row: number, keep: number, ids: number[], encoder?: GPUCommandEncoder): void {
    const before = this.ids.length;
    if (keep < before || keep > before + ids.length) throw new Error(`adoptRow keeps ${keep} positions, expected ${before} to ${before + ids.length}`);
    const next = selectCacheRow(this.gpu, cache, row, keep, encoder);
    this.cache.dispose();
    this.cache = next;
    this.ids.push(...ids);
  }

  dispose(): void {
    this.cache.dispose();
    this.lensReadout?.dispose();
  }
}
