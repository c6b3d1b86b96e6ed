/**
 * The API strategies call to turn a raw logit row into the processed distribution they decode from,
 * and to draw from it: docs/algorithms.md#exactness (float32, -inf, one uniform per draw by
 * inverse CDF over the kept tokens in token-id order), #processor-chain (HF order),
 * #contrastive-decoding (contrastive term), #fusion-variants (sparse additive term, GRAD),
 * #sampling-verification (residual distribution for speculative sampling).
 *
 * Order inside one row (documented choice where the papers leave it open):
 *   mask (id ≥ validVocab → -inf) → repetition penalty (to the expert AND the amateur row) →
 *   contrast (plausibility mask from the penalised expert row) → sparse term → [sampling only:
 *   temperature → top-k → top-p → min-p] → argmax (uniform null) or inverse-CDF draw.
 *
 * On WebGPU the row never leaves the GPU (kernels/ops/sampleRow.ts, a few hundred bytes read back);
 * on WASM the CPU references (kernels/reference/{logitFusion,sample}.ts) do the same integer-exact
 * work, so the same uniform gives the same token on both backends.
 */
import type { Logits } from '../model/logits';
import type { ChainParams } from '../processors/chain';
import type { Readout, RowSummary } from './readout';
import type { TokenSequence } from './sequence';
import { processRowsCpu, sampleResidualCpu } from './fusion-cpu';
import { RecordStore } from '../../kernels/ops/sampleStore';
import { drawRowsGpu, processRowsGpu, readDrawnRawGpu, sampleResidualGpu } from './fusion-gpu';
import { validateProcessOptions, validateUniform } from './fusion-validate';
import { recordLab, type LabTag } from './lab';
import { LogitscopeError } from '../errors';
import { isSampling } from '../processors/chain';
import { mirostatOn, type MirostatState } from '../processors/mirostat';

/** What processRow needs of a sequence runner: its GPU device (null on WASM) and byte counter. */
export interface FusionHost {
  /** ORT's GPUDevice on WebGPU, null on WASM. */
  readonly gpu: GPUDevice | null;
  /** Readback bytes of this runner's panel are added to `readout.bytes`. */
  readonly readout: Readout;
  /** Set while the panel's step is taken in step mode: processRows also records the logit lab (lab.ts). */
  readonly lab?: LabTag | null;
  /**
   * The panel run's Mirostat v2 state (workers/processors/mirostat.ts), read and updated by the
   * sampled rows of a chain with mirostatTau > 0 that name no `mirostat` of their own.
   */
  readonly mirostat?: MirostatState;
}

/** Contrastive term (docs/algorithms.md#contrastive-decoding) with a second model's logits at the same position. */
export interface ContrastTerm {
  /** Amateur logits; `row` indexes its rows ([batch·seq] flattened, as Logits.rowIndex). */
  logits: Logits;
  row: number;
  /**
   * 'logit': O'Brien & Lewis, s = (1+β)·z_E − β·z_A. 'logprob': Li et al., s = log p_E − log p_A(τ_A)
   * with p_A = softmax(z_A / τ_A). Both: s = -inf outside V_head = { z_E ≥ log α + max z_E }.
   */
  form: 'logit' | 'logprob';
  /** β ≥ 0 of the logit form (ignored by 'logprob'). */
  beta: number;
  /** Plausibility α in (0, 1]; 1 keeps only the expert's maxima. */
  alpha: number;
  /** Amateur temperature τ_A > 0 of the logprob form (ignored by 'logit'). */
  amateurTemperature: number;
}

/** Sparse additive term (docs/algorithms.md#fusion-variants, GRAD): s[ids[j]] += scale · values[j]. */
export interface SparseTerm {
  /** Distinct token ids, each in [0, logit width). */
  ids: readonly number[];
  /** Finite values, one per id. */
  values: readonly number[];
  /**
   * Finite multiplier, or a function of the base row's raw summary (e.g. λ·H_n·(max − median top-50)).
   * A function costs one extra small readback before the fused pass.
   */
  scale: number | ((raw: RowSummary) => number);
}

/** Options of processRow. */
export interface ProcessRowOptions {
  chain: ChainParams;
  /** Ids the repetition penalty covers: the whole sequence so far, prompt included (duplicates fine). */
  history: readonly number[];
  /**
   * A uniform in [0, 1) from the panel's Rng (quantised to 32 bits), or null for argmax. The
   * warpers and the draw apply only when it is non-null AND isSampling(chain).
   */
  uniform: number | null;
  contrast?: ContrastTerm;
  sparse?: SparseTerm;
  /**
   * Dense allow-bitmask over the row (grammar-constrained decoding, strategies/grammar): bit (i & 31) of
   * word i >> 5 set = token i allowed; the others become −inf before the processors, warpers and draw.
   * At least ceil(width / 32) words; omitted = no mask (no cost).
   */
  allow?: Uint32Array;
  /** Ids (at most MAX_TOKEN_PROBS) whose processed probabilities are reported in tokenProcessedProbs. */
  tokenIds?: readonly number[];
  /** Top-k size of `raw` and `processedTop`, in [1, 64]; default 10. */
  k?: number;
  /** Keep the processed distribution for sampleResidual; the caller must dispose `distribution`. */
  keep?: boolean;
  /** The row's name in the logit lab (step mode), when the strategy processes a position more than once. */
  labLabel?: string;
  /**
   * Mirostat v2 state of this row when the chain has mirostatTau > 0 and the row is sampled: read
   * for μ, then updated from the drawn token (default: the host's, i.e. the panel runner's). A
   * strategy that samples from several runners for one panel (EAD) passes one state to all.
   */
  mirostat?: MirostatState;
  /** Mirostat: read μ but leave the state alone (a row shown beside the emitted one, e.g. n-gram's "model alone"). */
  mirostatPeek?: boolean;
  /**
   * Mirostat: process the row at this threshold μ (bits) and update no state. processRows sets it
   * from the state; pass it only to replay a row at a known μ.
   */
  mirostatMu?: number;
}

/** A processed distribution kept alive on the GPU (or CPU) for sampleResidual. */
export interface ProcessedDistribution {
  /** Ids [0, width) the distribution covers (the row's validVocab). */
  readonly width: number;
  /** Frees the kept buffer; idempotent. */
  dispose(): void;
}

/** Result of processRow: the base row's raw summary and the processed distribution's readout. */
export interface ProcessedRow {
  /** Target/expert RAW softmax summary at this position (for the TokenRecord). */
  raw: RowSummary;
  /** argmax of the processed row (ties → lowest id) when not sampling, else the sampled id. */
  id: number;
  /** True when the warpers applied and `uniform` was consumed. */
  sampled: boolean;
  /** Probability of `id` under the processed (sampling) distribution. */
  processedProb: number;
  /** log(processedProb), nats. */
  processedLogprob: number;
  /** Entropy of the processed distribution over the kept tokens, nats. */
  processedEntropy: number;
  /** Tokens with nonzero processed probability support (finite processed logit). */
  kept: number;
  /** Top of the processed row (kept tokens only), logit descending, ties → lower id. */
  processedTop: { ids: number[]; logits: number[] };
  /** Processed probabilities of `tokenIds`, in order (0 for removed tokens). */
  tokenProcessedProbs: number[];
  /** Set when `keep` was true; dispose it. */
  distribution: ProcessedDistribution | null;
}

/** Result of sampleResidual. */
export interface ResidualSample {
  id: number;
  /** Σ max(0, p − q) (0 when p == q, then `fallback` is true and id was drawn from p). */
  residualMass: number;
  fallback: boolean;
  /** Probability of `id` under the distribution it was drawn from. */
  prob: number;
}

export { MAX_TOKEN_PROBS } from './fusion-validate';

/** One row of a processRows batch: its index in the logits ([batch·seq] flattened) and options. */
export interface ProcessRowsItem {
  row: number;
  opts: ProcessRowOptions;
}

/**
 * Process row `row` of `logits` (the base/expert model's) through mask → repetition penalty →
 * contrast → sparse → [temperature → top-k → top-p → min-p] and pick a token (argmax, or the
 * inverse-CDF draw of `uniform`). GPU when the logits are on the GPU, CPU references otherwise.
 * Readback (or CPU-scanned) bytes are added to `host.readout.bytes`.
 */
export async function processRow(host: FusionHost, logits: Logits, row: number, opts: ProcessRowOptions): Promise<ProcessedRow> {
  return (await processRows(host, logits, [{ row, opts }]))[0]!;
}

/**
 * processRow over several rows of one Logits, each with its own options (uniform or null, history,
 * token ids, keep, terms), results in item order and identical to one processRow per item. On
 * WebGPU up to 16 rows share ONE command encoder, submit and small readback (more are split); on
 * WASM the rows are processed in turn. On an error no kept distribution is left behind.
 */
export async function processRows(host: FusionHost, logits: Logits, items: readonly ProcessRowsItem[]): Promise<ProcessedRow[]> {
  const where = (i: number) => (items.length === 1 ? 'processRow' : `processRows: rows[${i}]`);
  items.forEach((item, i) => validateProcessOptions(logits, item.row, item.opts, where(i)));
  if (items.length === 0) return [];
  const miro = withMirostat(host, items, where);
  const onGpu = logits.gpuRows(items[0]!.row, 1) !== null;
  const run = async (batch: readonly ProcessRowsItem[]) => (onGpu ? await processRowsGpu(host, logits, batch) : processRowsCpu(logits, batch));
  const result = await run(miro.items);
  host.readout.bytes += result.bytes;
  if (miro.update) {
    const { index, state, mu } = miro.update;
    const r = result.rows[index]!;
    if (r.sampled) state.observe(miro.items[index]!.opts.chain, mu, r.processedProb);
  }
  if (host.lab?.log.enabled) await recordLab(host.lab, miro.items, result.rows, async (batch) => (await run(batch)).rows);
  return result.rows;
}

/** True when the row is sampled under a chain with Mirostat v2 on. */
function mirostatRow(o: ProcessRowOptions): boolean {
  return mirostatOn(o.chain) && o.uniform !== null && isSampling(o.chain);
}

/**
 * The items with each Mirostat row's μ filled in (mirostatMu) from its state, and the one row whose
 * draw updates a state. Several updating rows in one call are refused: μ moves after each draw, so
 * their order would be a hidden choice (mark the rows that are only shown mirostatPeek).
 */
function withMirostat(host: FusionHost, items: readonly ProcessRowsItem[], where: (i: number) => string) {
  const updates: { index: number; state: MirostatState; mu: number }[] = [];
  const out = items.map((item, i): ProcessRowsItem => {
    const o = item.opts;
    if (!mirostatRow(o) || o.mirostatMu !== undefined) return item;
    const state = o.mirostat ?? host.mirostat;
    if (!state) throw new Error(`${where(i)}: Mirostat v2 (mirostatTau > 0) needs its state: pass opts.mirostat, or a host that keeps one`);
    const mu = state.current(o.chain);
    if (!o.mirostatPeek) updates.push({ index: i, state, mu });
    return { row: item.row, opts: { ...o, mirostatMu: mu } };
  });
  if (updates.length > 1) {
    throw new LogitscopeError('bad-request', `mirostatTau: Mirostat v2 is stateful (μ moves after every draw), and ${updates.length} sampled rows of one call would each move it; sample one row per call or set mirostatTau to 0`);
  }
  return { items: out, update: updates[0] ?? null };
}

/**
 * One draw of drawRows: the chosen token and its processed probability, as processRow reports them.
 * The raw summary of the row is `raw` on the CPU path; on WebGPU it stays on the device (`raw` is
 * null) until readDrawnRaw reads the summaries actually needed.
 */
export interface RowDraw {
  id: number;
  sampled: boolean;
  processedProb: number;
  processedLogprob: number;
  raw: RowSummary | null;
}

/**
 * Holds the raw summaries of drawRows' rows on the device (a buffer per batch) until disposed.
 * Dispose it once the summaries needed have been read.
 */
export class DrawStore {
  /** The device-side records (null on WASM, where draws carry their summaries). */
  readonly records: RecordStore | null;

  constructor(host: FusionHost) {
    this.records = host.gpu ? new RecordStore(host.gpu) : null;
  }

  dispose(): void {
    this.records?.dispose();
  }
}

/**
 * Commands to record with a drawRows / readDrawnRaw call: on WebGPU into the same command encoder
 * (one submit), e.g. KV-cache copies; on WASM called with null before the work.
 */
export type ExtraCommands = (encoder: GPUCommandEncoder | null) => void;

/**
 * Draw a token for each item as processRows does (same ids and processed probabilities, bit for
 * bit), when only the draws are needed now: on WebGPU up to 16 rows share one submit and each reads
 * back 40 bytes (no processed summary is computed; the raw summaries stay in `store` for
 * readDrawnRaw). Items may not ask for `keep` or `tokenIds`. `extra` runs with the first batch.
 */
export async function drawRows(host: FusionHost, logits: Logits, items: readonly ProcessRowsItem[], store: DrawStore, extra?: ExtraCommands): Promise<RowDraw[]> {
  const where = (i: number) => `drawRows: rows[${i}]`;
  items.forEach((item, i) => {
    validateProcessOptions(logits, item.row, item.opts, where(i));
    if (item.opts.keep) throw new Error(`${where(i)}: keep is not available for a draw (use processRows)`);
    if (item.opts.tokenIds && item.opts.tokenIds.length > 0) throw new Error(`${where(i)}: tokenIds are not available for a draw (use processRows)`);
    if (mirostatRow(item.opts) && item.opts.mirostatMu === undefined) throw new LogitscopeError('bad-request', `mirostatTau: Mirostat v2 is stateful and batched trial draws (drawRows) would each move μ; set mirostatTau to 0`);
  });
  const onGpu = items.length > 0 && logits.gpuRows(items[0]!.row, 1) !== null;
  if (onGpu) {
    if (!store.records) throw new Error('drawRows: GPU logits with a DrawStore made for the CPU');
    const result = await drawRowsGpu(host, logits, items, store.records, extra ? (encoder) => extra(encoder) : undefined);
    host.readout.bytes += result.bytes;
    return result.draws;
  }
  extra?.(null);
  // The CPU path of a draw: no lab rows (on WebGPU a draw never goes through processRows either).
  const rows = await processRows({ gpu: host.gpu, readout: host.readout }, logits, items);
  return rows.map((r) => ({ id: r.id, sampled: r.sampled, processedProb: r.processedProb, processedLogprob: r.processedLogprob, raw: r.raw }));
}

/**
 * The raw summaries of `draws` (from drawRows with `store`, not yet disposed), in order: on WebGPU
 * one submit (with `extra` recorded first) and one readback of 4·(2 + 2k + 8) bytes per draw; on
 * WASM the summaries the draws carry (after `extra(null)`).
 */
export async function readDrawnRaw(host: FusionHost, draws: readonly RowDraw[], extra?: ExtraCommands): Promise<RowSummary[]> {
  const pending = draws.filter((d) => d.raw === null);
  if (!host.gpu) {
    if (pending.length > 0) throw new Error('readDrawnRaw: draws without a summary on the CPU path');
    extra?.(null);
    return draws.map((d) => d.raw!);
  }
  if (pending.length === 0 && !extra) return draws.map((d) => d.raw!);
  const result = await readDrawnRawGpu(host, pending, extra ? (encoder) => extra(encoder) : undefined);
  host.readout.bytes += result.bytes;
  let next = 0;
  return draws.map((d) => d.raw ?? result.rows[next++]!);
}

/**
 * Draw from norm(max(0, p − q)) with one uniform (speculative sampling's correction, docs/algorithms.md#sampling-verification); falls
 * back to p when the residual mass is 0. p and q are distributions kept by processRow({keep: true})
 * on the same backend; ids beyond a distribution's width have probability 0 in it.
 */
export async function sampleResidual(host: FusionHost, p: ProcessedDistribution, q: ProcessedDistribution, uniform: number): Promise<ResidualSample> {
  validateUniform(uniform, 'uniform');
  if (p === q) throw new Error('sampleResidual: p and q are the same distribution (no residual)');
  const result = host.gpu ? await sampleResidualGpu(host, p, q, uniform) : sampleResidualCpu(p, q, uniform);
  host.readout.bytes += result.bytes;
  return result.sample;
}

/**
 * Convenience for one-model strategies: feed the pending ids of `seq` in one forward pass, process
 * the last row and dispose the logits.
 */
export async function nextProcessed(seq: TokenSequence, opts: ProcessRowOptions): Promise<ProcessedRow> {
  const logits = await seq.forwardPending();
  try {
    return await processRow(seq, logits, logits.rowIndex(0, -1), opts);
  } finally {
    logits.dispose();
  }
}
